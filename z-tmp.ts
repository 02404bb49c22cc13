import { parseContract } from './src/config/parse-contract.ts';
for (const text of ['- '.repeat(20000) + 'x\n', 'a:\n' + Array.from({length: 3000}, (_, i) => ' '.repeat(i+1) + `k${i}:`).join('\n') + ' x\n', '? '.repeat(5000) + 'x\n', '!!map '.repeat(10000) + '{}']) {
  const t = performance.now();
  const r = parseContract({ file: 'f', text });
  console.log(r.problems[0]?.message, Math.round(performance.now() - t), 'ms');
}
