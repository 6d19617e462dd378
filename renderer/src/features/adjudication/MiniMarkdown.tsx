import type { ReactNode } from 'react';
import { Blockquote, Code, List, Stack, Text, Title } from '@mantine/core';

/** Inline Markdown: **bold**, *emphasis* and `code`; everything else as text (never HTML). */
function inline(text: string): ReactNode[] {
  const out: ReactNode[] = [];
  const pattern = /(\*\*[^*]+\*\*|`[^`]+`|\*[^*\s][^*]*\*)/g;
  let last = 0;
  let key = 0;
  for (const m of text.matchAll(pattern)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    const token = m[0];
    if (token.startsWith('**')) out.push(<strong key={key++}>{token.slice(2, -2)}</strong>);
    else if (token.startsWith('`')) out.push(<Code key={key++}>{token.slice(1, -1)}</Code>);
    else out.push(<em key={key++}>{token.slice(1, -1)}</em>);
    last = m.index + token.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

type Block =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'list'; ordered: boolean; items: string[] }
  | { kind: 'quote'; text: string }
  | { kind: 'code'; text: string }
  | { kind: 'paragraph'; text: string };

function blocksOf(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.replace(/\r/g, '').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.trim()) continue;
    if (/^\s*(```|~~~)/.test(line)) {
      const body: string[] = [];
      for (i++; i < lines.length && !/^\s*(```|~~~)/.test(lines[i]!); i++) body.push(lines[i]!);
      blocks.push({ kind: 'code', text: body.join('\n') });
      continue;
    }
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      blocks.push({ kind: 'heading', level: heading[1]!.length, text: heading[2]! });
      continue;
    }
    const item = /^\s*(?:([-*+])|(\d+)[.)])\s+(.*)$/.exec(line);
    if (item) {
      const ordered = !item[1];
      const last = blocks.at(-1);
      if (last?.kind === 'list' && last.ordered === ordered) last.items.push(item[3]!);
      else blocks.push({ kind: 'list', ordered, items: [item[3]!] });
      continue;
    }
    if (line.startsWith('>')) {
      blocks.push({ kind: 'quote', text: line.replace(/^>\s?/, '') });
      continue;
    }
    const last = blocks.at(-1);
    if (last?.kind === 'paragraph' && lines[i - 1]?.trim()) last.text += ` ${line.trim()}`;
    else blocks.push({ kind: 'paragraph', text: line.trim() });
  }
  return blocks;
}

/** A small, safe rendering of a guideline section: headings, lists, quotes, code and paragraphs. */
export function MiniMarkdown({ markdown }: { markdown: string }) {
  return (
    <Stack gap={6}>
      {blocksOf(markdown).map((b, i) => {
        switch (b.kind) {
          case 'heading':
            return (
              <Title key={i} order={Math.min(6, b.level + 2) as 3 | 4 | 5 | 6}>
                {inline(b.text)}
              </Title>
            );
          case 'list':
            return (
              <List key={i} size="sm" type={b.ordered ? 'ordered' : 'unordered'} spacing={2}>
                {b.items.map((it, j) => (
                  <List.Item key={j}>{inline(it)}</List.Item>
                ))}
              </List>
            );
          case 'quote':
            return (
              <Blockquote key={i} p="xs">
                <Text size="sm">{inline(b.text)}</Text>
              </Blockquote>
            );
          case 'code':
            return (
              <Code key={i} block>
                {b.text}
              </Code>
            );
          default:
            return (
              <Text key={i} size="sm">
                {inline(b.text)}
              </Text>
            );
        }
      })}
    </Stack>
  );
}
