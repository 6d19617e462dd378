import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { DictionaryModal } from '../../renderer/src/features/model/DictionaryModal';
import { BRIDGE_NAME } from '../../shared/contract/channels';
import { renderWithTheme } from './render';

afterEach(() => {
  delete (window as unknown as Record<string, unknown>)[BRIDGE_NAME];
});

function bridge(entries: { term: string; label: string }[]) {
  const invoke = vi.fn(async (channel: string, input: { entries?: unknown }) =>
    channel === 'dictionary.list' ? { ok: true, value: entries } : { ok: true, value: input.entries },
  );
  (window as unknown as Record<string, unknown>)[BRIDGE_NAME] = { invoke, on: vi.fn() };
  return invoke;
}

describe('DictionaryModal', () => {
  it('shows the terms one per line and saves the edited list', async () => {
    const invoke = bridge([{ term: '羽绒服', label: '商品' }]);
    const onClose = vi.fn();
    renderWithTheme(<DictionaryModal opened projectId="p1" onClose={onClose} />);
    const area = await screen.findByRole('textbox', { name: '项目词典' });
    await waitFor(() => expect((area as HTMLTextAreaElement).value).toBe('羽绒服\t商品'));
    fireEvent.change(area, { target: { value: '羽绒服\t商品\n小米手环8，商品\n\n' } });
    expect(screen.getByText('2 个词')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '保存' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(invoke).toHaveBeenCalledWith('dictionary.replace', {
      projectId: 'p1',
      entries: [
        { term: '羽绒服', label: '商品' },
        { term: '小米手环8', label: '商品' },
      ],
    });
  });

  it('refuses lines without a type, naming them', async () => {
    bridge([]);
    renderWithTheme(<DictionaryModal opened projectId="p1" onClose={() => {}} />);
    const area = await screen.findByRole('textbox', { name: '项目词典' });
    fireEvent.change(area, { target: { value: '羽绒服\t商品\n只有词' } });
    expect(screen.getByText('这些行缺少词或类型：2')).toBeTruthy();
    expect((screen.getByRole('button', { name: '保存' }) as HTMLButtonElement).disabled).toBe(true);
  });
});
