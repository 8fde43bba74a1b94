/** The "Try a sample" datasets served from public/samples/. */
import type { Task, TextFile } from '../../worker/protocol';

export interface Sample {
  id: string;
  /** Button text. */
  label: string;
  fileName: string;
  task: Task;
  description: string;
}

export const SAMPLES: readonly Sample[] = [
  { id: 'sentiment', label: 'Sentiment', fileName: 'sentiment.csv', task: 'classify', description: '442 short reviews, positive or negative' },
  { id: 'topics', label: 'Topics', fileName: 'topics.csv', task: 'classify', description: '360 sentences in 4 topics' },
  { id: 'nli', label: 'NLI pairs', fileName: 'nli.csv', task: 'classify', description: '240 premise–hypothesis pairs: entailment, neutral or contradiction' },
  { id: 'domain', label: 'Domain text', fileName: 'domain.txt', task: 'mlm', description: 'cooking prose for masked-LM domain adaptation' },
  { id: 'ner', label: 'Named entities', fileName: 'ner.conll', task: 'ner', description: '320 sentences tagged BIO: people, places and organisations' },
  { id: 'qa', label: 'Questions', fileName: 'qa.json', task: 'qa', description: 'SQuAD-style questions over short made-up paragraphs, answered by a span' },
];

export type FetchText = (url: string) => Promise<{ ok: boolean; status: number; text(): Promise<string> }>;

export async function fetchSample(sample: Sample, baseUrl = '/samples/', fetchImpl: FetchText = fetch): Promise<TextFile> {
  const response = await fetchImpl(`${baseUrl}${sample.fileName}`);
  if (!response.ok) throw new Error(`The ${sample.label.toLowerCase()} sample could not be fetched (HTTP ${response.status}).`);
  return { fileName: sample.fileName, text: await response.text() };
}
