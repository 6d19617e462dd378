import type { ReactNode } from 'react';
import { MantineProvider } from '@mantine/core';
import { render } from '@testing-library/react';
import { theme } from '../../renderer/src/app/theme';
import { useKeyboardDispatcher } from '../../renderer/src/commands/dispatcher';

export function renderWithTheme(ui: ReactNode) {
  return render(<MantineProvider theme={theme}>{ui}</MantineProvider>);
}

function Keyboard({ children }: { children: ReactNode }) {
  useKeyboardDispatcher();
  return <>{children}</>;
}

/** Renders with the app's one key listener (the command registry's dispatcher) installed, as the app has it. */
export function renderWithKeyboard(ui: ReactNode) {
  return renderWithTheme(<Keyboard>{ui}</Keyboard>);
}
