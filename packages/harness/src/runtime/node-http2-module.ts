// `http2` inside a node-engine instance: importable (the AWS SDK imports it for its HTTP/2
// handler), but connecting is refused with a clear message; HTTP/1.1 requests are stubbed.
function connect(): never {
  throw new Error('snapstart-harness: http2.connect() is not available in a snapshot instance; use HTTP/1.1 (its requests are recorded and stubbed)');
}
export const constants = {
  HTTP2_HEADER_METHOD: ':method',
  HTTP2_HEADER_PATH: ':path',
  HTTP2_HEADER_STATUS: ':status',
  HTTP2_HEADER_AUTHORITY: ':authority',
  HTTP2_HEADER_SCHEME: ':scheme',
  NGHTTP2_REFUSED_STREAM: 7,
};
export { connect };
export default { connect, constants };
