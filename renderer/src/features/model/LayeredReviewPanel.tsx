import { useCallback, useEffect, useState } from 'react';
import { Button, Group, Paper, SegmentedControl, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AuditStatus, ReviewPlan } from '../../../../shared/contract/schemas';
import { call } from '../../ipc/client';
import { errorText } from '../../app/errors';
import { useNavigation } from '../../app/store';

interface Props {
  projectId: string;
  annotatorId: string;
  /** Bumped when suggestions or labels change, to refresh the counts. */
  version: number;
  onAccepted(): void;
}

const THRESHOLDS = ['0.8', '0.9', '0.95'];
const SAMPLE = 30;
const storageKey = (projectId: string) => `workstation.audit.${projectId}`;

/** The model labels first, people check what is risky: counts, an audit sample, bulk acceptance. */
export function LayeredReviewPanel({ projectId, annotatorId, version, onAccepted }: Props) {
  const { t } = useTranslation();
  const go = useNavigation((n) => n.go);
  const [threshold, setThreshold] = useState('0.9');
  const [plan, setPlan] = useState<ReviewPlan | null>(null);
  const [audit, setAudit] = useState<AuditStatus | null>(null);
  const [error, setError] = useState<unknown>(null);

  const refresh = useCallback(() => {
    call('review.plan', { projectId, threshold: Number(threshold) }).then(setPlan, setError);
    const auditId = localStorage.getItem(storageKey(projectId));
    if (auditId) call('review.audit', { auditId, annotatorId }).then(setAudit, () => localStorage.removeItem(storageKey(projectId)));
  }, [projectId, annotatorId, threshold]);
  useEffect(refresh, [refresh, version]);

  if (!plan || plan.confident + plan.toPeople === 0) return null;
  const startAudit = () =>
    call('review.startAudit', { projectId, threshold: Number(threshold), size: SAMPLE }).then((a) => {
      localStorage.setItem(storageKey(projectId), a.id);
      go({ name: 'labeling', projectId, filter: { status: 'unlabeled', auditId: a.id } });
    }, setError);
  const accept = () =>
    audit &&
    call('review.acceptConfident', { auditId: audit.id, annotatorId }).then((a) => {
      setAudit(a);
      onAccepted();
    }, setError);
  const auditDone = audit && audit.accepted === null && audit.checked >= audit.size;

  return (
    <Paper withBorder radius="md" p="sm" data-testid="layered-review">
      <Group justify="space-between" wrap="nowrap">
        <Group gap="sm" wrap="nowrap">
          <Text fw={600} size="sm">
            {t('review.title')}
          </Text>
          <SegmentedControl size="xs" aria-label={t('review.threshold')} value={threshold} onChange={setThreshold} data={THRESHOLDS} />
          <Text size="xs" c="dimmed" data-testid="review-plan">
            {t('review.plan', { confident: plan.confident, toPeople: plan.toPeople, highRisk: plan.highRisk, none: plan.withoutSuggestion })}
          </Text>
        </Group>
        <Group gap="xs" wrap="nowrap">
          {audit && audit.accepted === null && (
            <Text size="xs" data-testid="audit-status">
              {t('review.auditStatus', {
                checked: audit.checked,
                size: audit.size,
                agreement: audit.agreement === null ? '–' : `${Math.round(audit.agreement * 100)}%`,
              })}
            </Text>
          )}
          {audit && audit.accepted !== null && (
            <Text size="xs" c="teal">
              {t('review.accepted', { n: audit.accepted })}
            </Text>
          )}
          {audit && audit.accepted === null && !auditDone && (
            <Button size="xs" variant="light" onClick={() => go({ name: 'labeling', projectId, filter: { status: 'unlabeled', auditId: audit.id } })}>
              {t('review.continueAudit')}
            </Button>
          )}
          {auditDone ? (
            <Button size="xs" color="teal" disabled={(audit.agreement ?? 0) < 0.9} title={t('review.needAgreement')} onClick={() => void accept()}>
              {t('review.accept', { n: Math.max(0, plan.confident) })}
            </Button>
          ) : (
            (!audit || audit.accepted !== null) &&
            plan.confident > 0 && (
              <Button size="xs" variant="light" onClick={() => void startAudit()} data-testid="start-audit">
                {t('review.audit', { size: Math.min(SAMPLE, plan.confident) })}
              </Button>
            )
          )}
        </Group>
      </Group>
      {!!error && (
        <Text size="xs" c="red" mt={4}>
          {errorText(t, error)}
        </Text>
      )}
    </Paper>
  );
}
