import { useEffect } from 'react';
import i18next from 'i18next';
import { notifications } from '@mantine/notifications';
import { errorText } from '../app/errors';
import { loadAnnotatorSettings } from './settings';
import { setKeymap } from './store';

/** Applies the annotator's saved keymap while mounted; without an annotator (or after switching away) the defaults apply. */
export function useAnnotatorKeymap(annotatorId: string | null): void {
  useEffect(() => {
    if (!annotatorId) return;
    let live = true;
    loadAnnotatorSettings(annotatorId).then(
      (settings) => {
        if (live) setKeymap(settings.keymap);
      },
      (error: unknown) => {
        if (live) notifications.show({ color: 'red', title: i18next.t('commands.ui.loadFailed'), message: errorText(i18next.t, error) });
      },
    );
    return () => {
      live = false;
      setKeymap({});
    };
  }, [annotatorId]);
}
