import { expect } from 'chai';
import { parseThresholdArgument, ThresholdSyntaxError } from '../../src/thresholds/parse.js';

describe('threshold expressions', () => {
  it('parses a percentile with a scope, the metric ending at the first colon outside braces', () => {
    const t = parseThresholdArgument('latency.total{server:web1}:p(99.9) <= 50');
    expect(t).to.deep.include({ metricText: 'latency.total{server:web1}', metric: 'latency.total', scope: { server: 'web1' }, operator: '<=', limit: 50 });
    expect(t.aggregation).to.deep.equal({ kind: 'percentile', percent: 99.9 });
  });

  it('parses failure rate, rps and share deviation', () => {
    expect(parseThresholdArgument('failed:rate<0.01').aggregation).to.deep.equal({ kind: 'rate' });
    expect(parseThresholdArgument('rps{probe:http}:value>=100').scope).to.deep.equal({ probe: 'http' });
    expect(parseThresholdArgument('share{server:web2}:deviation<3').limit).to.equal(3);
  });

  const bad: Array<[string, RegExp]> = [
    ['latency.total', /METRIC:EXPRESSION/],
    ['latency.tot:p(99)<5', /a metric \(latency.connect/],
    ['latency.total:p(99)=5', /AGGREGATION OPERATOR NUMBER/],
    ['latency.total:rate<5', /for latency.total an aggregation among p\(N\), avg/],
    ['failed:p(99)<5', /for failed an aggregation among rate, count/],
    ['latency.total:p(0)<5', /a percentile above 0/],
    ['latency.total{host:a}:max<5', /scope tags as server:NAME or probe:NAME/],
    ['latency.total{server:a,probe:b}:max<5', /one scope tag/],
    ['share{probe:a}:deviation<5', /share scoped by \{server:NAME\} only/],
    ['rps:value<abc', /AGGREGATION OPERATOR NUMBER/],
  ];
  for (const [text, message] of bad) {
    it(`refuses ${text}`, () => {
      expect(() => parseThresholdArgument(text)).to.throw(ThresholdSyntaxError, message);
    });
  }
});
