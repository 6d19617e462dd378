import { Alert } from '@mantine/core';
import { IconAlertTriangle, IconInfoCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { fieldTitle } from './format';
import { useAdjudication, type Notice } from './store';

const WARNINGS: ReadonlySet<Notice['kind']> = new Set(['reasonNeeded', 'undecided', 'spanOutside', 'spanRefused']);

/** Why the last key did nothing (a reason is needed, a field is open), or what it did (undone, flagged). */
export function NoticeBar() {
  const { t } = useTranslation();
  const notice = useAdjudication((s) => s.notice);
  const fields = useAdjudication((s) => s.fields);
  const item = useAdjudication((s) => s.item);
  if (!notice) return null;
  const field = notice.field ? fields.find((f) => f.field === notice.field) : undefined;
  const params: Record<string, string | number> = { ...notice.params };
  if (field && item) params.field = fieldTitle(t, field, item.text);
  if (notice.kind === 'spanRefused') params.why = t(`labeling.refused_${String(notice.params?.reason ?? 'overlap')}`);
  const warning = WARNINGS.has(notice.kind);
  return (
    <Alert
      color={warning ? 'orange' : 'blue'}
      variant="light"
      icon={warning ? <IconAlertTriangle size={18} /> : <IconInfoCircle size={18} />}
      withCloseButton
      onClose={() => useAdjudication.getState().dismiss()}
      py={8}
      role={warning ? 'alert' : 'status'}
      data-testid="adjudication-notice"
      data-kind={notice.kind}
    >
      {t(`adjudication.notice.${notice.kind}`, params)}
    </Alert>
  );
}
