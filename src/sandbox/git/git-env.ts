/**
 * The environment every git child of the sandbox runs with: the ambient one without any `GIT_*`
 * variable (this machine sets GIT_SSL_CAINFO; a developer may set GIT_DIR), without the user's
 * global/system config, plus explicit `-c` style settings through GIT_CONFIG_COUNT.
 */
export function gitEnv(
  config: Record<string, string> = {},
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  if (Object.keys(config).length === 0) {
    // The common case (every plumbing call): filtering process.env each time cost ~0.5 ms a call, so the
    // ambient environment is read once, at the first call.
    defaultEnv ??= buildEnv({});
    return { ...defaultEnv, ...extra };
  }
  return { ...buildEnv(config), ...extra };
}

let defaultEnv: NodeJS.ProcessEnv | undefined;

function buildEnv(config: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('GIT_') && value !== undefined) env[key] = value;
  }
  env.GIT_CONFIG_NOSYSTEM = '1';
  env.GIT_CONFIG_GLOBAL = '/dev/null';
  env.GIT_TERMINAL_PROMPT = '0';
  const settings: Record<string, string> = { 'safe.directory': '*', ...config };
  const keys = Object.keys(settings);
  env.GIT_CONFIG_COUNT = String(keys.length);
  keys.forEach((key, i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = settings[key];
  });
  return env;
}
