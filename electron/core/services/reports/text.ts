import type { AnnotatorReport, ReportTask } from '../../../../shared/contract/reports';

export type ReportLanguage = 'zh-CN' | 'en';

interface ReportText {
  title: string;
  generated: string;
  agreement: string;
  perLabel: string;
  perLabelChart: string;
  confusions: string;
  perAnnotator: string;
  perAnnotatorLabel: string;
  drift: string;
  pairwise: string;
  disagreements: string;
  task: string;
  tasks: Record<ReportTask, string>;
  items: string;
  annotators: string;
  annotator: string;
  percent: string;
  low: string;
  high: string;
  exactF1: string;
  overlapF1: string;
  boundary: string;
  type: string;
  missing: string;
  label: string;
  uses: string;
  count: string;
  submitted: string;
  goldAccuracy: string;
  goldN: string;
  majorityAccuracy: string;
  majorityN: string;
  sentimentGold: string;
  sentimentMajority: string;
  entitiesGoldF1: string;
  itemsPerHour: string;
  medianSeconds: string;
  selfConsistency: string;
  acceptRate: string;
  acceptedWrongRate: string;
  outliers: string;
  outlier: Record<AnnotatorReport['outlier'][number], string>;
  support: string;
  day: string;
  accuracy: string;
  ord: string;
  text: string;
  disagreement: string;
  spans: string;
  from: string;
  to: string;
  annotationsWord: string;
  overlapWord: string;
  adjudicatedAccuracy: string;
  adjudicatedN: string;
  sentimentAdjudicated: string;
  adjProgress: string;
  adjState: string;
  adjStates: Record<'disputed' | 'auto' | 'human' | 'flagged' | 'queued', string>;
  adjByPolicy: string;
  adjPolicy: string;
  adjDecisions: string;
  adjDecisionKinds: Record<'human' | 'auto' | 'withReason' | 'overridesMajority', string>;
  adjReviewers: string;
  reviewer: string;
  itemsResolved: string;
  flagged: string;
  commits: string;
  fieldDecisions: string;
  overridesMajority: string;
  workHours: string;
  firstCommit: string;
  lastCommit: string;
  adjReasons: string;
  reasonCode: string;
  reasonLabel: string;
  guidelineRef: string;
  fields: string;
  notConfigured: string;
  adjOverrides: string;
  adjudicatedItems: string;
  overriddenByPerson: string;
  overriddenAuto: string;
  noReason: string;
  adjNote: string;
}

const EN: ReportText = {
  title: 'Quality report',
  generated: 'Generated',
  agreement: 'Agreement per task',
  perLabel: 'Agreement per label',
  perLabelChart: 'Agreement per label (α; entity types: exact-match F1)',
  confusions: 'Labels people confuse',
  perAnnotator: 'Annotators',
  perAnnotatorLabel: 'Per annotator and intent (against gold or majority)',
  drift: 'Accuracy per day',
  pairwise: 'Pairwise agreement',
  disagreements: 'Items with the most disagreement',
  task: 'Task',
  tasks: { intents: 'Intents', sentiment: 'Sentiment', entities: 'Entities' },
  items: 'items',
  annotators: 'annotators',
  annotator: 'Annotator',
  percent: 'Agreement',
  low: '95% low',
  high: '95% high',
  exactF1: 'exact F1',
  overlapF1: 'overlap F1',
  boundary: 'boundary',
  type: 'type',
  missing: 'missing',
  label: 'Label',
  uses: 'Uses',
  count: 'Count',
  submitted: 'Submitted',
  goldAccuracy: 'Intent accuracy vs gold',
  goldN: 'gold items',
  majorityAccuracy: 'Intent accuracy vs majority',
  majorityN: 'compared items',
  sentimentGold: 'Sentiment vs gold',
  sentimentMajority: 'Sentiment vs majority',
  entitiesGoldF1: 'Entity F1 vs gold',
  itemsPerHour: 'Items per hour',
  medianSeconds: 'Median s per item',
  selfConsistency: 'Self-consistency',
  acceptRate: 'Suggestions accepted',
  acceptedWrongRate: 'Accepted but wrong',
  outliers: 'Flags',
  outlier: {
    'fast-and-inaccurate': 'much faster than peers, less accurate',
    'low-agreement': 'agrees with others far less than peers do',
    'low-gold-accuracy': 'below 70 % on gold items',
    'accepts-wrong-suggestions': 'accepts wrong suggestions often',
  },
  support: 'Support',
  day: 'Day',
  accuracy: 'Accuracy',
  ord: '#',
  text: 'Text',
  disagreement: 'Disagreement',
  spans: 'spans',
  from: 'from',
  to: 'to',
  annotationsWord: 'annotations',
  overlapWord: 'items with two or more annotators',
  adjudicatedAccuracy: 'Intent accuracy vs adjudicated',
  adjudicatedN: 'adjudicated items',
  sentimentAdjudicated: 'Sentiment vs adjudicated',
  adjProgress: 'Adjudication progress',
  adjState: 'State',
  adjStates: {
    disputed: 'Disputed',
    auto: 'Resolved automatically',
    human: 'Resolved by a person',
    flagged: 'Flagged for discussion',
    queued: 'In the queue',
  },
  adjByPolicy: 'Automatic resolution by policy',
  adjPolicy: 'Policy',
  adjDecisions: 'Adjudicated fields',
  adjDecisionKinds: {
    human: 'Decided by a person',
    auto: 'Decided automatically',
    withReason: 'With a reason code',
    overridesMajority: 'Against the majority',
  },
  adjReviewers: 'Reviewer throughput',
  reviewer: 'Reviewer',
  itemsResolved: 'Items resolved',
  flagged: 'Flagged',
  commits: 'Commits',
  fieldDecisions: 'Field decisions',
  overridesMajority: 'Against the majority',
  workHours: 'Hours of work',
  firstCommit: 'First commit',
  lastCommit: 'Last commit',
  adjReasons: 'Reason codes',
  reasonCode: 'Code',
  reasonLabel: 'Reason',
  guidelineRef: 'Guideline section',
  fields: 'Fields',
  notConfigured: 'no longer configured',
  adjOverrides: 'Overrides per annotator',
  adjudicatedItems: 'Adjudicated',
  overriddenByPerson: 'Overridden by a person',
  overriddenAuto: 'Overridden automatically',
  noReason: '(no reason code)',
  adjNote:
    "Accuracy uses gold items first, then the adjudicated value, then the majority of the others. Hours of work: the gaps between a reviewer's consecutive commits under 10 minutes.",
};

const ZH: ReportText = {
  title: '质量报告',
  generated: '生成于',
  agreement: '各任务一致性',
  perLabel: '各标签一致性',
  perLabelChart: '各标签一致性（α；实体类型为完全匹配 F1）',
  confusions: '容易混淆的标签',
  perAnnotator: '标注员',
  perAnnotatorLabel: '各标注员各意图（对照金标或多数）',
  drift: '每日准确率',
  pairwise: '两两一致性',
  disagreements: '分歧最大的条目',
  task: '任务',
  tasks: { intents: '意图', sentiment: '情感', entities: '实体' },
  items: '条',
  annotators: '位标注员',
  annotator: '标注员',
  percent: '一致率',
  low: '95% 下限',
  high: '95% 上限',
  exactF1: '完全匹配 F1',
  overlapF1: '重叠匹配 F1',
  boundary: '边界不同',
  type: '类型不同',
  missing: '漏标',
  label: '标签',
  uses: '使用次数',
  count: '次数',
  submitted: '已提交',
  goldAccuracy: '意图准确率（金标）',
  goldN: '金标条目',
  majorityAccuracy: '意图准确率（多数）',
  majorityN: '比较条目',
  sentimentGold: '情感（金标）',
  sentimentMajority: '情感（多数）',
  entitiesGoldF1: '实体 F1（金标）',
  itemsPerHour: '每小时条数',
  medianSeconds: '每条秒数中位数',
  selfConsistency: '自我一致性',
  acceptRate: '采纳建议比例',
  acceptedWrongRate: '采纳但错误',
  outliers: '提示',
  outlier: {
    'fast-and-inaccurate': '远快于他人且准确率偏低',
    'low-agreement': '与他人一致性明显偏低',
    'low-gold-accuracy': '金标准确率低于 70%',
    'accepts-wrong-suggestions': '经常采纳错误建议',
  },
  support: '样本数',
  day: '日期',
  accuracy: '准确率',
  ord: '序号',
  text: '文本',
  disagreement: '分歧度',
  spans: '个实体',
  from: '自',
  to: '至',
  annotationsWord: '条标注',
  overlapWord: '条多人标注条目',
  adjudicatedAccuracy: '意图准确率（仲裁）',
  adjudicatedN: '已仲裁条目',
  sentimentAdjudicated: '情感（仲裁）',
  adjProgress: '仲裁进度',
  adjState: '状态',
  adjStates: {
    disputed: '待仲裁',
    auto: '自动裁定',
    human: '人工裁定',
    flagged: '待讨论',
    queued: '队列合计',
  },
  adjByPolicy: '自动裁定（按策略）',
  adjPolicy: '策略',
  adjDecisions: '已裁定字段',
  adjDecisionKinds: {
    human: '人工裁定',
    auto: '自动裁定',
    withReason: '附原因代码',
    overridesMajority: '推翻多数意见',
  },
  adjReviewers: '审核员效率',
  reviewer: '审核员',
  itemsResolved: '裁定条数',
  flagged: '待讨论',
  commits: '提交次数',
  fieldDecisions: '字段裁定',
  overridesMajority: '推翻多数意见',
  workHours: '工作小时',
  firstCommit: '首次提交',
  lastCommit: '最近提交',
  adjReasons: '原因代码分布',
  reasonCode: '代码',
  reasonLabel: '原因',
  guidelineRef: '规范章节',
  fields: '字段数',
  notConfigured: '已不在设置中',
  adjOverrides: '各标注员被改判情况',
  adjudicatedItems: '已仲裁',
  overriddenByPerson: '被人工改判',
  overriddenAuto: '被自动改判',
  noReason: '（无原因代码）',
  adjNote: '准确率的参照：先用金标，其次用仲裁结果，再次用其他标注员的多数意见。工作小时：审核员相邻两次提交间隔小于 10 分钟的时间之和。',
};

export function reportText(lang: ReportLanguage): ReportText {
  return lang === 'en' ? EN : ZH;
}
