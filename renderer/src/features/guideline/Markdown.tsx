import { Text, Typography } from '@mantine/core';
import ReactMarkdown, { type Components } from 'react-markdown';
import classes from './Markdown.module.css';

/**
 * Links and images stay inert: the app is offline and its window must not navigate away or fetch
 * anything, so a link shows as its text (the address in its title) and an image as its alt text.
 */
const COMPONENTS: Components = {
  a: ({ children, href }) => (
    <Text span td="underline" title={href ?? undefined}>
      {children}
    </Text>
  ),
  img: ({ alt }) => (
    <Text span c="dimmed">
      [{alt || '…'}]
    </Text>
  ),
};

/** Renders a guideline's Markdown (CommonMark; raw HTML is dropped, never rendered). */
export function Markdown({ source, testId }: { source: string; testId?: string }) {
  return (
    <Typography data-testid={testId} fz="sm" className={classes.markdown}>
      <ReactMarkdown skipHtml components={COMPONENTS}>
        {source}
      </ReactMarkdown>
    </Typography>
  );
}
