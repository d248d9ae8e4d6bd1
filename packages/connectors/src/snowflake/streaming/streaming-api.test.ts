import { describe, expect, it } from 'vitest';
import { apiError } from './streaming-api.js';

describe('apiError', () => {
  it('reads the code from `code`, `error_code` or a bare JSON string, as the service has been seen to answer', () => {
    expect(apiError(400, '{"code":"STALE_CONTINUATION_TOKEN_SEQUENCER","message":"reopen"}', 'append').apiCode).toBe(
      'STALE_CONTINUATION_TOKEN_SEQUENCER',
    );
    expect(apiError(404, '{"error_code":"ERR_PIPE_DOES_NOT_EXIST_OR_NOT_AUTHORIZED"}', 'open').apiCode).toBe(
      'ERR_PIPE_DOES_NOT_EXIST_OR_NOT_AUTHORIZED',
    );
    expect(apiError(503, '"ERR_GENERAL_EXCEPTION_RETRY_REQUEST"', 'append').apiCode).toBe('ERR_GENERAL_EXCEPTION_RETRY_REQUEST');
    expect(apiError(502, '<html>bad gateway</html>', 'append').apiCode).toBeUndefined();
  });

  it('says what is worth retrying: busy or unreachable yes; credentials, privileges, a missing pipe or bad rows no', () => {
    const kinds = (status: number, body = '{}') => {
      const e = apiError(status, body, 'x');
      return [e.code, e.retriable];
    };
    expect(kinds(429)).toEqual(['WAREHOUSE_UNAVAILABLE', true]);
    expect(kinds(503)).toEqual(['WAREHOUSE_UNAVAILABLE', true]);
    expect(kinds(408)).toEqual(['WAREHOUSE_UNAVAILABLE', true]);
    expect(kinds(401)).toEqual(['AUTH_FAILED', false]);
    expect(kinds(403)).toEqual(['NOT_AUTHORIZED', false]);
    expect(kinds(404)).toEqual(['OBJECT_NOT_FOUND', false]);
    expect(kinds(413)).toEqual(['WAREHOUSE_REJECTED', false]);
    const stale = apiError(400, '{"code":"STALE_CONTINUATION_TOKEN_SEQUENCER"}', 'append');
    expect([stale.code, stale.fenced]).toEqual(['POSITION_CONFLICT', true]);
  });
});
