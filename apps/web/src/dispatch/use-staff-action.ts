import { useCallback, useState } from 'react';
import { ProblemError } from '../api/auth';
import { problemSentence } from '../auth/problems';
import { useI18n } from '../i18n/I18nProvider';

export interface Notice {
  kind: 'ok' | 'error';
  text: string;
}

/**
 * Runs a staff action: one at a time, its outcome as a notice (the server's sentence and the fields it
 * names when it refuses), and a reload of the screen's data after a success.
 */
export function useStaffAction(reload: () => void) {
  const { t, lang } = useI18n();
  const [busy, setBusy] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);

  const run = useCallback(
    async (key: string, action: () => Promise<unknown>, done: string): Promise<boolean> => {
      setBusy(key);
      setNotice(null);
      try {
        await action();
        setNotice({ kind: 'ok', text: done });
        reload();
        return true;
      } catch (err) {
        const fields = err instanceof ProblemError ? err.errors.map((e) => `${e.field}: ${e.message}`) : [];
        const sentence = problemSentence(t, lang, err);
        setNotice({ kind: 'error', text: [sentence, ...fields.filter((f) => !sentence.includes(f))].join(' — ') });
        return false;
      } finally {
        setBusy(null);
      }
    },
    [reload, t, lang],
  );

  return { busy, notice, setNotice, run };
}
