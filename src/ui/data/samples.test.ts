import { describe, expect, it } from 'vitest';
import { fetchSample, SAMPLES, type FetchText } from './samples';

const fake = (status: number, body = ''): { fetch: FetchText; urls: string[] } => {
  const urls: string[] = [];
  return {
    urls,
    fetch: async (url) => {
      urls.push(url);
      return { ok: status >= 200 && status < 300, status, text: async () => body };
    },
  };
};

describe('fetchSample', () => {
  it('reads the sample file as a TextFile', async () => {
    const { fetch, urls } = fake(200, 'text,label\nhi,positive\n');
    await expect(fetchSample(SAMPLES[0], '/samples/', fetch)).resolves.toEqual({
      fileName: 'sentiment.csv',
      text: 'text,label\nhi,positive\n',
    });
    expect(urls).toEqual(['/samples/sentiment.csv']);
  });

  it('says which sample failed and how', async () => {
    await expect(fetchSample(SAMPLES[3], '/samples/', fake(404).fetch)).rejects.toThrow(
      'The domain text sample could not be fetched (HTTP 404).',
    );
  });

  it('pairs each sample with the task its file is for', () => {
    expect(Object.fromEntries(SAMPLES.map((s) => [s.fileName, s.task]))).toEqual({
      'sentiment.csv': 'classify',
      'topics.csv': 'classify',
      'nli.csv': 'classify',
      'domain.txt': 'mlm',
      'ner.conll': 'ner',
      'qa.json': 'qa',
    });
  });
});
