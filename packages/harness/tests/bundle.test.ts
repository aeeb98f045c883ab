import { describe, expect, it } from 'vitest';
import { replaceImportMeta } from '../src/bundle.js';

describe('import.meta in a classic-script bundle', () => {
  const r = (member: string) => (member ? `<${member}>` : '<meta>');
  it.each([
    ['const u = import.meta.url;', 'const u = <url>;'],
    ['x("import.meta.url")', 'x("import.meta.url")'],
    ["x('import.meta')", "x('import.meta')"],
    ['// import.meta.url\nimport.meta.dirname', '// import.meta.url\n<dirname>'],
    ['/* import.meta */ import.meta', '/* import.meta */ <meta>'],
    ['`a ${import.meta.url} import.meta ${ {a:1}.a } b`', '`a ${<url>} import.meta ${ {a:1}.a } b`'],
    ['foo.import.meta', 'foo.import.meta'],
    ['"esc \\" import.meta"', '"esc \\" import.meta"'],
    ['import.meta.filename + import.metaphor', '<filename> + import.metaphor'],
  ])('%s', (input, output) => {
    expect(replaceImportMeta(input, r)).toBe(output);
  });
});
