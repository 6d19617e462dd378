import { describe, expect, it } from 'vitest';
import { MIN_ENTITY_SPANS, spanTrainingItems } from '../../electron/core/services/entityTraining';
import { currentSchema } from '../../electron/core/db/repos/projects';
import type { Annotator, LabelingItem, ModelVersion } from '../../shared/contract/schemas';
import { call, runImport, setup, writeFile } from './helpers';

const PLACES = [
  '北京市朝阳区建国路88号',
  '上海市浦东新区世纪大道100号',
  '广州市天河区体育西路57号',
  '深圳市南山区科技园南路15号',
  '杭州市西湖区文三路90号',
  '成都市武侯区人民南路四段12号',
  '南京市鼓楼区中山北路30号',
  '武汉市洪山区珞喻路1037号',
  '西安市雁塔区长安南路22号',
  '重庆市渝中区解放碑步行街8号',
  '天津市和平区南京路189号',
  '苏州市工业园区星湖街328号',
  '长沙市岳麓区麓山南路2号',
  '郑州市金水区花园路66号',
  '青岛市市南区香港中路10号',
  '厦门市思明区环岛南路3号',
  '合肥市蜀山区长江西路99号',
  '昆明市五华区东风西路11号',
  '沈阳市和平区中华路45号',
  '济南市历下区泉城路180号',
];
const TEMPLATES = ['麻烦寄到{}，谢谢', '我的收货地址是{}', '地址改成{}可以吗', '请帮我送到{}，我下午在家'];
const HELD_OUT = ['大连市中山区人民路50号', '宁波市鄞州区天童南路588号', '福州市鼓楼区五四路128号', '哈尔滨市南岗区西大直街92号'];

const cp = (s: string) => [...s].length;
function utterance(template: string, place: string) {
  const [before] = template.split('{}');
  const start = cp(before!);
  return { text: template.replace('{}', place), span: { start, end: start + cp(place), label: '地址' } };
}

describe('the token-level entity head in the app', () => {
  it('learns a type no pattern knows from the spans people submitted, and suggests it as entities@vN', async () => {
    const { core, dir, project } = await setup();
    const train = PLACES.flatMap((place, i) => [utterance(TEMPLATES[i % 4]!, place), utterance(TEMPLATES[(i + 1) % 4]!, place)]);
    const test = HELD_OUT.map((place, i) => utterance(TEMPLATES[i % 4]!, place));
    const file = writeFile(dir, 'items.jsonl', [...train, ...test].map((u) => JSON.stringify({ text: u.text })).join('\n'));
    expect((await runImport(core, project.id, file, 'jsonl')).state).toBe('committed');

    const annotator = await call<Annotator>(core, 'annotators.create', { name: 'labeler' });
    for (let ord = 1; ord <= train.length; ord++) {
      const item = (await call<LabelingItem>(core, 'labeling.at', { projectId: project.id, annotatorId: annotator.id, ord }))!;
      await call(core, 'labeling.apply', {
        projectId: project.id,
        itemId: item.item.id,
        annotatorId: annotator.id,
        changes: [
          { kind: 'entities', value: [train[ord - 1]!.span] },
          { kind: 'status', value: 'submitted' },
        ],
      });
    }
    expect(train.length).toBeGreaterThanOrEqual(MIN_ENTITY_SPANS);
    expect(spanTrainingItems(core.db, project.id, currentSchema(core.db, project.id))).toHaveLength(train.length);

    await call(core, 'prelabel.start', { projectId: project.id });
    const done = (await core.prelabel.wait(project.id))!;
    expect(done.error).toBeNull();
    expect(done.versions).toContain('entities@v1');
    const versions = await call<ModelVersion[]>(core, 'models.versions', { projectId: project.id });
    expect(versions.find((v) => v.task === 'entities')).toMatchObject({ version: 1, kind: 'entity-head', trainedOn: train.length });

    // Addresses in cities the head never saw, on items nobody labeled.
    let found = 0;
    for (let k = 0; k < test.length; k++) {
      const item = (await call<LabelingItem>(core, 'labeling.at', { projectId: project.id, annotatorId: annotator.id, ord: train.length + k + 1 }))!;
      const learned = item.suggestions.filter((s) => s.kind === 'entities' && s.modelVersion === 'entities@v1');
      const spans = learned.flatMap((s) => s.value as { start: number; end: number; label: string }[]);
      if (spans.some((s) => s.label === '地址' && s.start <= test[k]!.span.start + 1 && s.end >= test[k]!.span.end - 1)) found++;
      for (const s of learned) expect(s.score).toBeGreaterThan(0);
    }
    expect(found).toBeGreaterThanOrEqual(3);
  });

  it('is not trained from too few spans; patterns still suggest entities', async () => {
    const { core, dir, project } = await setup();
    const file = writeFile(dir, 'few.jsonl', ['我的手机号13812345678', '订单号DD20241105001'].map((text) => JSON.stringify({ text })).join('\n'));
    expect((await runImport(core, project.id, file, 'jsonl')).state).toBe('committed');
    expect(await core.prelabel.trainEntities(project.id)).toBeNull();
    await call(core, 'prelabel.start', { projectId: project.id });
    const done = (await core.prelabel.wait(project.id))!;
    expect(done.versions.some((v) => v.startsWith('entities@'))).toBe(false);
    const kinds = core.db.prepare("SELECT DISTINCT model_version FROM suggestions WHERE kind = 'entities'").all();
    expect(kinds).toEqual([{ model_version: 'patterns@1' }]);
  });
});
