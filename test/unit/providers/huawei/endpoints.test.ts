import { describe, expect, it } from 'vitest';
import { huaweiApiUrl, regionalEndpoint } from '../../../../controller/src/providers/huawei/endpoints.ts';

describe('huaweiApiUrl', () => {
  it('fills each placeholder with its percent-encoded value and ignores a trailing slash of the endpoint', () => {
    const path = '/v3/{project_id}/instances/{instance_id}/clickhouse/replication/{database_name}';
    expect(huaweiApiUrl('https://gaussdb.example.com//', path, { project_id: 'p1', instance_id: 'i 1', database_name: 'a/b' })).toBe(
      'https://gaussdb.example.com/v3/p1/instances/i%201/clickhouse/replication/a%2Fb',
    );
  });

  it('appends the query, if any', () => {
    expect(huaweiApiUrl('https://gaussdb.example.com', '/v3/{project_id}/x', { project_id: 'p1' }, { limit: '100', offset: '0' })).toBe('https://gaussdb.example.com/v3/p1/x?limit=100&offset=0');
    expect(huaweiApiUrl('https://gaussdb.example.com', '/v3/{project_id}/x', { project_id: 'p1' }, {})).toBe('https://gaussdb.example.com/v3/p1/x');
  });

  it('refuses a placeholder without a value (a programming error, not a request to send)', () => {
    expect(() => huaweiApiUrl('https://gaussdb.example.com', '/v3/{project_id}/x/{database_name}', { project_id: 'p1' })).toThrow(/\{database_name\}/);
  });
});

describe('regionalEndpoint', () => {
  it('is https://<service>.<region>.myhuaweicloud.com', () => {
    expect(regionalEndpoint('iam', 'ap-southeast-1')).toBe('https://iam.ap-southeast-1.myhuaweicloud.com');
  });
});
