/** Checks of the Hub fields before a request goes out, so typos get an inline message instead of a 404. */
import { validateRepoId } from '../../io/modelSource';

/** Why `repo` is not a Hub model id, or null when it is one. */
export function hubIdProblem(repo: string): string | null {
  if (repo.trim() === '') return 'Enter a model id such as google-bert/bert-base-uncased.';
  try {
    validateRepoId(repo.trim());
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

/** Why `endpoint` cannot serve Hub files, or null when it is an http(s) URL. */
export function endpointProblem(endpoint: string): string | null {
  try {
    const url = new URL(endpoint.trim());
    return url.protocol === 'https:' || url.protocol === 'http:' ? null : 'The endpoint must be an http(s) URL.';
  } catch {
    return 'The endpoint must be a full URL such as https://huggingface.co.';
  }
}
