import { unavailable } from './unavailable.js';
// No crc32 here on purpose: libraries feature-detect zlib.crc32 and fall back to JavaScript.
export default unavailable('zlib', ['gzip', 'gzipSync', 'gunzip', 'gunzipSync', 'deflate', 'deflateSync', 'inflate', 'inflateSync', 'createGzip', 'createGunzip', 'brotliCompressSync', 'brotliDecompressSync']);
