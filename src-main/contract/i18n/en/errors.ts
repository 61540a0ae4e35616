import { errorCatalogue, type ErrorCode } from '../../errors.js';

/**
 * en: the error sentences, from the error catalogue itself (contract/errors.ts), so English has
 * one source; its `{detail}` becomes i18next's `{{detail}}`.
 */
const sentences = Object.fromEntries(Object.entries(errorCatalogue).map(([code, sentence]) => [code, sentence.replace('{detail}', '{{detail}}')])) as Record<ErrorCode, string>;
export default sentences;
