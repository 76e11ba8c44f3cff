import { describe, expect, it } from 'vitest';
import { connectionErrorCode, connectionFailure, isConnectionError, taskFailure } from '../../../engine/src/executors/postgres/connection-errors.ts';
import { pgEndpointOf, quoteConnInfoValue, subscriptionConnInfo } from '../../../engine/src/executors/postgres/endpoints.ts';
import { replicationNames } from '../../../engine/src/executors/postgres/names.ts';

const err = (code: string | undefined, message: string) => Object.assign(new Error(message), code === undefined ? {} : { code });

describe('PostgreSQL connections', () => {
  it.each([
    ['connection refused', err('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1'), 'DRS.KE003'],
    ['host unreachable', err('EHOSTUNREACH', 'connect EHOSTUNREACH'), 'DRS.KE001'],
    ['unknown host', err('ENOTFOUND', 'getaddrinfo ENOTFOUND db.invalid'), 'DRS.KE001'],
    ['timeout', err(undefined, 'Connection terminated due to connection timeout'), 'DRS.KE004'],
    ['socket timeout', err('ETIMEDOUT', 'connect ETIMEDOUT'), 'DRS.KE004'],
    ['wrong password', err('28P01', 'password authentication failed for user "repl"'), 'DRS.KE002'],
    ['no pg_hba entry', err('28000', 'no pg_hba.conf entry for host "10.0.0.1", user "repl", database "db"'), 'DRS.KE006'],
    ['unknown role (trust auth)', err('28000', 'role "ghost" does not exist'), 'DRS.KE002'],
    ['database missing', err('3D000', 'database "nodb" does not exist'), 'DRS.KE008'],
    ['no CONNECT privilege', err('42501', 'permission denied for database "db"'), 'DRS.KE013'],
    ['TLS refused', err(undefined, 'The server does not support SSL connections'), 'DRS.KE0070'],
    ['too many connections', err('53300', 'sorry, too many clients already'), 'DRS.KE0048'],
  ])('%s → %s', (_what, error, code) => {
    expect(connectionErrorCode(error)).toBe(code);
  });

  it('reads the first of several attempts (AggregateError) and keeps PostgreSQL words in the message', () => {
    const aggregate = Object.assign(new AggregateError([err('ECONNREFUSED', 'connect ECONNREFUSED ::1:5432')], ''), {});
    expect(connectionErrorCode(aggregate)).toBe('DRS.KE003');
    expect(connectionFailure(err('28P01', 'password authentication failed for user "repl"'))).toEqual({
      success: false,
      errorCode: 'DRS.KE002',
      errorMsg: 'The username or password is incorrect. (password authentication failed for user "repl")',
    });
  });

  it('tells connectivity failures of a running task from other errors', () => {
    expect(isConnectionError(err('57P01', 'terminating connection due to administrator command'))).toBe(true);
    expect(isConnectionError(err('42P01', 'relation "x" does not exist'))).toBe(false);
    expect(taskFailure(err('42P01', 'relation "x" does not exist'), 'setting up replication failed')).toEqual({
      errorCode: 'DRS.M01501',
      errorMsg: 'setting up replication failed: relation "x" does not exist',
    });
    expect(taskFailure(err('ECONNREFUSED', 'connect ECONNREFUSED'), 'setting up replication failed').errorCode).toBe('DRS.KE003');
  });

  it('builds the subscription connection string with libpq quoting', () => {
    const source = pgEndpointOf({ ip: '10.0.0.5, 10.0.0.6', db_port: '6432', db_user: 'repl', db_password: "it's\\secret", db_name: 'shop' });
    expect(source).toEqual({ host: '10.0.0.5', port: 6432, user: 'repl', password: "it's\\secret", database: 'shop', ssl: false });
    expect(subscriptionConnInfo(source)).toBe("host='10.0.0.5' port='6432' dbname='shop' user='repl' password='it\\'s\\\\secret' connect_timeout='10' sslmode='prefer'");
    expect(quoteConnInfoValue('')).toBe("''");
    expect(pgEndpointOf({ ip: 'h', ssl_link: true }).ssl).toBe(true);
    expect(pgEndpointOf({ ip: 'h' })).toMatchObject({ port: 5432, database: 'postgres' });
  });

  it('names a task\'s publication, subscription and slot from its ID alone, as valid identifiers', () => {
    const names = replicationNames('4d1f3c6e-81b2-4b5e-9a33-0d2f7c1ab9jb201');
    expect(names).toEqual({
      publication: 'drs_pub_4d1f3c6e_81b2_4b5e_9a33_0d2f7c1ab9jb201',
      subscription: 'drs_sub_4d1f3c6e_81b2_4b5e_9a33_0d2f7c1ab9jb201',
      slot: 'drs_slot_4d1f3c6e_81b2_4b5e_9a33_0d2f7c1ab9jb201',
    });
    const odd = replicationNames(`${'X'.repeat(80)}.id`);
    for (const name of Object.values(odd)) expect(name).toMatch(/^[a-z0-9_]{1,63}$/);
    expect(odd).not.toEqual(replicationNames(`${'X'.repeat(80)}-id`));
    expect(replicationNames('same-id')).toEqual(replicationNames('same-id'));
  });
});
