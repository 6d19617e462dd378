import { en } from './messages/en';
import { zhCN } from './messages/zh-CN';

/** The `commands` namespace object per language, merged at the top level of the translation namespace. */
export const commandMessages = { 'zh-CN': zhCN, en };
