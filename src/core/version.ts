// pont's version, as `pont --version` prints it (package.json's, checked by test/core/version.test.ts;
// a constant, so the bundled CLI reads no file to print it).
export const VERSION = '0.1.0';
