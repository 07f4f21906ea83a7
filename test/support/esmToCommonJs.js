const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const ts = require('typescript');

const self = readFileSync(__filename);

/**
 * Jest runs tests as CommonJS. A dependency published only as an ES module (the `cookie` parser
 * that Fastify's `inject` uses) is turned into CommonJS for the tests, with TypeScript's own
 * transpiler. Only for tests: under Node itself the module loads as published.
 */
module.exports = {
  getCacheKey(source) {
    return createHash('sha256').update(self).update(source).digest('hex');
  },
  process(source, filename) {
    const { outputText } = ts.transpileModule(source, {
      fileName: filename,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    });
    return { code: outputText };
  },
};
