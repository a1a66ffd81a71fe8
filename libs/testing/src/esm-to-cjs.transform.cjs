// Jest on Node < 24.9 cannot require() an ES module the way Node itself can, and several CommonJS
// dependencies (fastify's light-my-request, @fastify/static, ...) require ESM-only packages. Jest then
// falls back to its CommonJS path and runs a configured transform: this one turns such a file into
// CommonJS with TypeScript's transpiler, and leaves files that Jest loads as ESM untouched.
const { createHash } = require('node:crypto');
const ts = require('typescript');

const VERSION = '1';

module.exports = {
  getCacheKey(source, filename, options) {
    return createHash('sha1')
      .update(VERSION)
      .update(filename)
      .update(options.supportsStaticESM ? 'esm' : 'cjs')
      .update(source)
      .digest('hex');
  },
  process(source, filename, options) {
    if (options.supportsStaticESM) return { code: source };
    const out = ts.transpileModule(source, {
      fileName: filename,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        allowJs: true,
        esModuleInterop: true,
        sourceMap: false,
      },
    });
    return { code: out.outputText };
  },
};
