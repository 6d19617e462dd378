import { Fragment } from 'react';
import { Tooltip } from '@mantine/core';
import type { SpanValue } from '../../../../shared/domain/annotation';
import { codePointToUtf16, sortSpans } from '../../../../shared/domain/spans';

interface Props {
  text: string;
  spans: SpanValue[];
  colors: Record<string, string>;
}

/** The text with its entity spans marked; offsets are code points, converted here for display. */
export function HighlightedText({ text, spans, colors }: Props) {
  const parts: React.ReactNode[] = [];
  let at = 0;
  for (const span of sortSpans(spans)) {
    const start = codePointToUtf16(text, span.start);
    const end = codePointToUtf16(text, span.end);
    if (start < at) continue;
    if (start > at) parts.push(<Fragment key={`t${at}`}>{text.slice(at, start)}</Fragment>);
    const color = colors[span.label] ?? '#868e96';
    parts.push(
      <Tooltip key={`s${start}`} label={span.label} withArrow>
        <mark
          data-entity={span.label}
          style={{ background: `${color}33`, borderBottom: `2px solid ${color}`, color: 'inherit', borderRadius: 3, padding: '0 1px' }}
        >
          {text.slice(start, end)}
          <sup style={{ color, fontSize: '0.65em', marginLeft: 2, fontWeight: 600 }}>{span.label}</sup>
        </mark>
      </Tooltip>,
    );
    at = end;
  }
  if (at < text.length) parts.push(<Fragment key={`t${at}`}>{text.slice(at)}</Fragment>);
  return <span style={{ lineHeight: 2 }}>{parts}</span>;
}
