/**
 * npm run --silent parse < messages.txt
 * One message per line on stdin, one JSON object per line on stdout (blank lines give blank lines).
 */
import { createInterface } from 'node:readline';
import { parseReport } from '../src/parser';

async function main(): Promise<void> {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') {
      process.stdout.write('\n');
      continue;
    }
    const parsed = parseReport({ text: line });
    const { category, urgency, location, departments, confidence, evidence, phones, plates, problems, isLikelyReport } =
      parsed;
    process.stdout.write(
      `${JSON.stringify({
        text: line,
        category,
        urgency,
        location,
        departments,
        confidence,
        isLikelyReport,
        phones,
        plates,
        problems: problems.map((p) => p.category),
        evidence,
      })}\n`,
    );
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
