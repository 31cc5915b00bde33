// ava's configuration for the VM suite, which scripts/vm-test.sh runs inside the VM: test/vm's
// *.vm.js files only (the main suite's glob, *.test.js, leaves them out). Under TCG every node
// process costs seconds, hence the long inactivity timeout; the VM has two vCPUs, so the demo
// and the drivers' file run side by side.
export default { files: ['dist/test/vm/**/*.vm.js'], workerThreads: false, timeout: '600s', concurrency: 2 };
