/** An HTTP probe: where to connect, what to ask, and how the answer names its real server. */
import { z } from 'zod';
import { port, regexText, shortName, timeoutSeconds } from '../fields.js';

export const httpProbe = z
  .strictObject({
    name: shortName,
    type: z.literal('http'),
    port,
    path: z.string().startsWith('/', { message: 'a path starting with /' }).default('/'),
    identify: z.strictObject({
      header: z.string().min(1).optional(),
      body: regexText.optional(),
    }),
    keepAlive: z.boolean().default(false),
    requestsPerConnection: z.int().min(1).max(1000).default(1),
    timeoutSeconds,
  })
  .superRefine((p, ctx) => {
    const { header, body } = p.identify;
    if ((header === undefined) === (body === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['identify'],
        message: 'exactly one of header (a response header naming the real server) or body (a regex whose group 1 is the name)',
      });
    }
    if (p.requestsPerConnection > 1 && !p.keepAlive) {
      ctx.addIssue({ code: 'custom', path: ['requestsPerConnection'], message: '1 unless keepAlive is true' });
    }
  });
