import { describe, expect, it } from 'vitest';
import { endpointProblem, hubIdProblem } from './hub';

describe('hubIdProblem', () => {
  it('accepts owner/name and bare names, trimming spaces', () => {
    expect(hubIdProblem('google-bert/bert-base-uncased')).toBeNull();
    expect(hubIdProblem(' prajjwal1/bert-tiny ')).toBeNull();
    expect(hubIdProblem('bert-base-uncased')).toBeNull();
  });
  it('explains empty and malformed ids', () => {
    expect(hubIdProblem('  ')).toMatch(/Enter a model id/);
    expect(hubIdProblem('a/b/c')).toMatch(/is not a Hub model id/);
    expect(hubIdProblem('https://huggingface.co/bert-base-uncased')).toMatch(/is not a Hub model id/);
  });
});

describe('endpointProblem', () => {
  it('accepts http and https URLs', () => {
    expect(endpointProblem('https://huggingface.co')).toBeNull();
    expect(endpointProblem('http://127.0.0.1:8080/mirror/')).toBeNull();
  });
  it('rejects other schemes and non-URLs', () => {
    expect(endpointProblem('ftp://example.com')).toMatch(/http\(s\)/);
    expect(endpointProblem('huggingface.co')).toMatch(/full URL/);
  });
});
