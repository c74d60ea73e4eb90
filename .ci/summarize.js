// Prints per-runner counts and the closing "N passed, N failed" line from the
// jest JSON, node:test TAP and Playwright JSON reports. Exits 1 when a report
// is missing or a test failed.
const fs = require('node:fs');

const [jestFile, agentTapFile, playwrightFile] = process.argv.slice(2);
const read = file => {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
};

let passed = 0;
let failed = 0;
let skipped = 0;
let missing = false;

const jest = read(jestFile);
if (jest) {
  passed += jest.numPassedTests;
  failed += jest.numFailedTests + (jest.numRuntimeErrorTestSuites ?? 0);
  skipped += jest.numPendingTests + jest.numTodoTests;
  const postgres = jest.testResults
    .flatMap(suite => suite.assertionResults)
    .filter(
      test => /POSTGRES_15/.test(test.fullName) && test.status === 'passed',
    ).length;
  console.log(
    `jest: ${jest.numPassedTests} passed, ${jest.numFailedTests} failed, ` +
      `${jest.numRuntimeErrorTestSuites ?? 0} suites failed to run; ` +
      `${postgres} PostgreSQL 15 cases passed`,
  );
} else {
  console.log(`jest: no report at ${jestFile}`);
  missing = true;
}

// node:test's TAP report ends with `# pass N`, `# fail N`, `# skipped N`, `# todo N`.
const tap = fs.existsSync(agentTapFile)
  ? fs.readFileSync(agentTapFile, 'utf8')
  : undefined;
if (tap) {
  const count = name =>
    Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(tap)?.[1] ?? 0);
  const agent = {
    pass: count('pass'),
    fail: count('fail'),
    skipped: count('skipped') + count('todo'),
  };
  passed += agent.pass;
  failed += agent.fail;
  skipped += agent.skipped;
  console.log(
    `agent (node:test): ${agent.pass} passed, ${agent.fail} failed, ${agent.skipped} skipped`,
  );
} else {
  console.log(`agent (node:test): no report at ${agentTapFile}`);
  missing = true;
}

const playwright = read(playwrightFile);
if (playwright) {
  const s = playwright.stats;
  passed += s.expected + s.flaky;
  failed += s.unexpected;
  skipped += s.skipped;
  console.log(
    `playwright: ${s.expected} passed, ${s.flaky} flaky, ${s.unexpected} failed, ${s.skipped} skipped` +
      (playwright.errors?.length ? `; ${playwright.errors.length} errors` : ''),
  );
  failed += playwright.errors?.length ?? 0;
} else {
  console.log(`playwright: no report at ${playwrightFile}`);
  missing = true;
}

console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || missing ? 1 : 0);
