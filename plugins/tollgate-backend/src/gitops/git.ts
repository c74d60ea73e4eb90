import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { redactMessage } from './redact';

const execFileAsync = promisify(execFile);

const DEFAULT_TIMEOUT_MS = 60_000;
const MAX_OUTPUT_BYTES = 512 * 1024 * 1024;

export interface GitRunOptions {
  timeoutMs?: number;
  /** Written to git's stdin. */
  input?: string;
  /** Credential strings to scrub from the error message. */
  secrets?: string[];
}

/** A failed git command; its message never holds the command line (it may carry credentials). */
export class GitCommandError extends Error {
  constructor(
    readonly subcommand: string,
    readonly exitCode: number | string | undefined,
    readonly stderr: string,
  ) {
    super(`git ${subcommand} failed: ${stderr || `exit code ${exitCode}`}`);
    this.name = 'GitCommandError';
  }
}

/** Runs git against one bare repository, never prompting for credentials. */
export class GitRunner {
  constructor(readonly gitDir: string, private readonly binary = 'git') {}

  async text(args: string[], options: GitRunOptions = {}): Promise<string> {
    const output = await this.run(args, options);
    return output.toString('utf8');
  }

  async run(args: string[], options: GitRunOptions = {}): Promise<Buffer> {
    const fullArgs = ['--git-dir', this.gitDir, ...args];
    const execution = execFileAsync(this.binary, fullArgs, {
      encoding: 'buffer',
      env: gitEnvironment(),
      timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxBuffer: MAX_OUTPUT_BYTES,
      windowsHide: true,
    });
    // git may exit before reading stdin; the exit code reports any real failure.
    execution.child.stdin?.on('error', () => {});
    execution.child.stdin?.end(options.input ?? '');
    try {
      const { stdout } = await execution;
      return stdout;
    } catch (error) {
      throw toGitError(args[0] ?? '', error, options.secrets ?? []);
    }
  }
}

function gitEnvironment(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: '',
    SSH_ASKPASS: '',
    GIT_SSH_COMMAND: process.env.GIT_SSH_COMMAND ?? 'ssh -o BatchMode=yes',
    LC_ALL: 'C',
  };
}

function toGitError(
  subcommand: string,
  error: unknown,
  secrets: string[],
): GitCommandError {
  const failure = error as {
    code?: number | string;
    killed?: boolean;
    signal?: string;
    stderr?: Buffer | string;
  };
  const stderr = failure.stderr?.toString('utf8').trim() ?? '';
  const detail = failure.killed
    ? `timed out (${failure.signal ?? 'killed'})`
    : stderr;
  return new GitCommandError(
    subcommand,
    failure.code,
    redactMessage(detail, secrets),
  );
}
