import { expect } from 'chai';
import { DELAY_MS, formatProgress, ProgressBar } from '../../src/cli/progress-bar.js';

/** A terminal: what was written, and what is on screen after carriage returns and clear-line codes. */
function terminal(columns = 100): { write(t: string): void; columns: number; written: string; screen(): string[] } {
  const t = {
    columns,
    written: '',
    write(text: string): void {
      t.written += text;
    },
    screen(): string[] {
      return t.written.split('\n').map((line) => line.split('\r').pop()?.replace(/\x1b\[K/g, '') ?? '');
    },
  };
  return t;
}

describe('bench progress bar', () => {
  it('shows the share done, the counts, the rate and the time left within the width', () => {
    const line = formatProgress({ done: 5000, total: 20000, elapsedSec: 2 }, 100);
    expect(line).to.equal(`[${'#'.repeat(10)}${'.'.repeat(29)}]  25% 5000/20000 requests 2500 req/s 0:02 elapsed 0:06 left`);
    expect(line.length).to.be.at.most(100);
    expect(formatProgress({ done: 5000, total: 20000, elapsedSec: 2 }, 40)).to.equal('25% 5000/20000 requests 2500 req/s 0:02');
  });

  it('follows the clock when -t ends the run before -n', () => {
    expect(formatProgress({ done: 1000, total: 50000, elapsedSec: 3, timeLimitSec: 4 }, 100)).to.match(/\]  75% 1000\/50000 requests 333 req\/s 0:03 elapsed 0:01 left$/);
  });

  it('appears only after a while, keeps ab\'s lines above it and leaves nothing behind', () => {
    let now = 0;
    const term = terminal();
    const bar = new ProgressBar(term, { total: 100 }, () => now);
    bar.update(10);
    now = DELAY_MS - 1;
    bar.tick();
    bar.line('Completed 10 requests');
    expect(term.written).to.equal('Completed 10 requests\n');
    now = DELAY_MS * 2;
    bar.update(50);
    bar.tick();
    expect(term.screen().at(-1)).to.match(/\]  50% 50\/100 requests 13 req\/s 0:04 elapsed 0:04 left$/);
    bar.line('Completed 50 requests');
    expect(term.screen()).to.have.length(3);
    expect(term.screen()[1]).to.equal('Completed 50 requests');
    expect(term.screen()[2]).to.match(/50\/100 requests/);
    bar.stop();
    expect(term.screen()).to.deep.equal(['Completed 10 requests', 'Completed 50 requests', '']);
    bar.tick(); // a late timer tick draws nothing
    expect(term.screen()).to.deep.equal(['Completed 10 requests', 'Completed 50 requests', '']);
  });

  it('does not guess the time left before anything completed', () => {
    expect(formatProgress({ done: 0, total: 20000, elapsedSec: 3 }, 100)).to.match(/ 0\/20000 requests 0 req\/s 0:03 elapsed -:-- left$/);
  });
});
