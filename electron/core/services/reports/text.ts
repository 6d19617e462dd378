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
};

export function reportText(lang: ReportLanguage): ReportText {
  return lang === 'en' ? EN : ZH;
}
