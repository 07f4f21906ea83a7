const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');

const self = readFileSync(__filename);

/**
 * Jest runs tests as CommonJS in a VM that cannot load `import("x")` without an experimental Node
 * flag. PGlite's CommonJS build loads Node's own modules that way; here each becomes a require
 * (taken at the top, since the build declares a `require` of its own inside). Only for tests:
 * under Node itself (npm start, the cluster) the build loads as published.
 */
module.exports = {
  getCacheKey(source) {
    return createHash('sha256').update(self).update(source).digest('hex');
  },
  process(source) {
    const code = source.replace(
      /\bimport\((["'][\w:/]+["'])\)/g,
      'Promise.resolve().then(() => __require($1))',
    );
    return { code: `const __require = require;\n${code}` };
  },
};
