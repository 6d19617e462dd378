import { z } from 'zod';

/** A single key a labeler presses: a letter, digit or punctuation key, optionally with modifiers. */
export const Hotkey = z
  .string()
  .trim()
  .max(32)
  .regex(/^((ctrl|alt|shift|mod)\+)*[^\s+]$|^$/i, 'hotkey must be one key, optionally with ctrl/alt/shift/mod');

export const DEFAULT_FALLBACK_INTENT = '其他/转人工';

export const IntentLabel = z.object({
  name: z.string().trim().min(1).max(100),
  description: z.string().max(2000).default(''),
  examples: z.array(z.string().max(500)).max(100).default([]),
  hotkey: Hotkey.default(''),
  highRisk: z.boolean().default(false),
});
export type IntentLabel = z.infer<typeof IntentLabel>;

export const EntityType = z.object({
  name: z.string().trim().min(1).max(100),
  color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'color must be #rrggbb')
    .default('#228be6'),
  hotkey: Hotkey.default(''),
  description: z.string().max(2000).default(''),
  /** Personal data (a name, an address): redaction replaces the text of its spans with `[name]`. */
  personal: z.boolean().default(false),
});
export type EntityType = z.infer<typeof EntityType>;

export const SentimentLevel = z.object({
  name: z.string().trim().min(1).max(50),
  value: z.number().int(),
  hotkey: Hotkey.default(''),
});
export type SentimentLevel = z.infer<typeof SentimentLevel>;

function allHotkeys(s: z.output<typeof LabelSchemaBase>): { key: string; owner: string }[] {
  return [
    ...s.intents.labels.map((l) => ({ key: l.hotkey, owner: `intent ${l.name}` })),
    ...s.entities.types.map((t) => ({ key: t.hotkey, owner: `entity ${t.name}` })),
    ...s.sentiment.levels.map((l) => ({ key: l.hotkey, owner: `sentiment ${l.name}` })),
  ]
    .filter((h) => h.key !== '')
    .map((h) => ({ ...h, key: h.key.toLowerCase() }));
}

function uniqueNames(list: { name: string }[]): boolean {
  return new Set(list.map((l) => l.name)).size === list.length;
}

const LabelSchemaBase = z.object({
  intents: z
    .object({
      multiLabel: z.boolean().default(false),
      fallback: z.string().trim().min(1).max(100).default(DEFAULT_FALLBACK_INTENT),
      labels: z.array(IntentLabel).max(2000).default([]),
    })
    .prefault({}),
  entities: z
    .object({
      allowOverlap: z.boolean().default(false),
      types: z.array(EntityType).max(500).default([]),
    })
    .prefault({}),
  sentiment: z
    .object({
      levels: z.array(SentimentLevel).max(11).default([]),
    })
    .prefault({}),
});

/**
 * The label schema of a project. Parsing always yields a schema whose intent list contains the
 * fallback intent (其他/转人工 by default), so "none of the above" is one key away in every project.
 */
export const LabelSchema = LabelSchemaBase.transform((s) => {
  if (!s.intents.labels.some((l) => l.name === s.intents.fallback)) {
    const taken = new Set(allHotkeys(s).map((h) => h.key));
    s.intents.labels.push({
      name: s.intents.fallback,
      description: '以上都不是，或客户要求人工客服',
      examples: [],
      hotkey: taken.has('0') ? '' : '0',
      highRisk: false,
    });
  }
  return s;
})
  .refine((s) => uniqueNames(s.intents.labels), { message: 'intent names must be unique', path: ['intents', 'labels'] })
  .refine((s) => uniqueNames(s.entities.types), { message: 'entity type names must be unique', path: ['entities', 'types'] })
  .refine((s) => uniqueNames(s.sentiment.levels), { message: 'sentiment level names must be unique', path: ['sentiment', 'levels'] })
  .superRefine((s, ctx) => {
    // Intents, entity types and sentiment levels are all keys of one labeling view.
    const seen = new Map<string, string>();
    for (const { key, owner } of allHotkeys(s)) {
      const other = seen.get(key);
      if (other) ctx.addIssue({ code: 'custom', message: `hotkey "${key}" is used by both ${other} and ${owner}`, path: ['hotkeys'] });
      else seen.set(key, owner);
    }
  });

export type LabelSchema = z.output<typeof LabelSchema>;
export type LabelSchemaInput = z.input<typeof LabelSchema>;

/** The schema a new project starts from: the e-commerce customer-service labels of the demo. */
export const DEFAULT_SCHEMA: LabelSchemaInput = {
  intents: {
    multiLabel: false,
    fallback: DEFAULT_FALLBACK_INTENT,
    labels: [
      { name: '查询订单', description: '查询订单状态、详情或是否下单成功', hotkey: '1' },
      { name: '物流进度', description: '询问发货、快递到哪了、何时送达', hotkey: '2' },
      { name: '退换货', description: '申请退货、换货、退款或询问售后流程', hotkey: '3' },
      { name: '投诉', description: '对商品、服务或物流表达不满并要求处理', hotkey: '4', highRisk: true },
      { name: '咨询活动', description: '询问优惠、满减、优惠券、大促活动规则', hotkey: '5' },
      { name: '支付问题', description: '付款失败、重复扣款、支付方式、发票', hotkey: '6' },
      { name: '账户问题', description: '登录、密码、绑定手机、会员与积分', hotkey: '7' },
      { name: DEFAULT_FALLBACK_INTENT, description: '以上都不是，或客户要求人工客服', hotkey: '0' },
    ],
  },
  entities: {
    allowOverlap: false,
    types: [
      { name: '订单号', color: '#1c7ed6', hotkey: 'o' },
      { name: '日期', color: '#37b24d', hotkey: 'd' },
      { name: '商品', color: '#f59f00', hotkey: 'p' },
      { name: '金额', color: '#e8590c', hotkey: 'm' },
      { name: '手机号', color: '#ae3ec9', hotkey: 't' },
      { name: '地址', color: '#0ca678', hotkey: 'a' },
    ],
  },
  sentiment: {
    levels: [
      { name: '消极', value: -1, hotkey: 'z' },
      { name: '中性', value: 0, hotkey: 'x' },
      { name: '积极', value: 1, hotkey: 'c' },
    ],
  },
};
