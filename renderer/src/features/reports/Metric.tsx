import { Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Estimate } from '../../../../shared/contract/reports';
import { DASH, estimateText, f1, f3 } from './format';

/** Why a figure can be missing; the contract does not say which reason applies, so the tooltip names the usual ones. */
type Why = 'undefined' | 'noGold' | 'noReference' | 'noShared' | 'noTimes' | 'noRepeats' | 'noSuggestions' | 'noAdjudication' | 'noPace';

function Missing({ why = 'undefined' }: { why?: Why | undefined }) {
  const { t } = useTranslation();
  const label =
    why === 'noAdjudication'
      ? t('reportsAdjudication.why_noAdjudication')
      : why === 'noPace'
        ? t('reportsAdjudication.noPace')
        : t(`reports.why_${why}`);
  return (
    <Tooltip label={label} multiline maw={280} withArrow>
      <Text span c="dimmed" inherit aria-label={label} data-missing="true">
        {DASH}
      </Text>
    </Tooltip>
  );
}

/** A ratio or coefficient to three decimals (one with `digits={1}`); null as a dash that explains itself. */
export function Num({ value, why, digits = 3, hint }: { value: number | null | undefined; why?: Why; digits?: 1 | 3; hint?: string | undefined }) {
  if (value === null || value === undefined) return <Missing why={why} />;
  const text = digits === 1 ? f1(value) : f3(value);
  if (!hint) return <>{text}</>;
  return (
    <Tooltip label={hint} withArrow>
      <Text span inherit>
        {text}
      </Text>
    </Tooltip>
  );
}

/** A statistic with its 95 % interval: "0.712 [0.680, 0.741]". */
export function Est({ value }: { value: Estimate | null | undefined }) {
  const { t } = useTranslation();
  if (!value || value.value === null) return <Missing />;
  const text = estimateText(value);
  if (value.low !== null && value.high !== null) return <>{text}</>;
  return (
    <Tooltip label={t('reports.noInterval')} withArrow>
      <Text span inherit>
        {text}
      </Text>
    </Tooltip>
  );
}
