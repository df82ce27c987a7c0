// Package seeddata makes realistic, made-up opinions for demonstrations and benchmarks: Chinese
// text assembled from varied templates, spread over months, every unit, type and status.
// Nothing here is real; the same seed gives the same data.
package seeddata

import (
	"math/rand/v2"
	"strings"
	"time"

	"minsheng/lifecycle"
	"minsheng/sifeng"
	"minsheng/storage"
	"minsheng/vocab"
)

var (
	depts = []string{"", "", "门诊收费处", "内科病房", "外科病房", "儿科", "急诊科", "药房", "检验科", "放射科",
		"妇产科", "住院部", "挂号窗口", "公共卫生科", "办公室"}
	openings = []string{"上周", "昨天上午", "今天", "本月初", "前几天", "周末", "晚上值班时", "住院期间"}
	scenes   = []string{
		"在%s排队等了两个多小时，工作人员一直在聊天，没有人维持秩序",
		"去%s办理手续，窗口说材料不全让我回去，下次去又换了一种说法",
		"家人在%s住院，护士态度很好，每天都耐心解释病情",
		"%s的医生开了很多检查，有些看起来并不需要，费用比别处高不少",
		"看到%s有几位工作人员上班时间玩手机、吃早点",
		"%s门口的指示牌不清楚，老人找不到地方，问了几个人都说不知道",
		"听说%s年底组织聚餐用的是公款，还去了很贵的饭店",
		"%s的会议通知一个接一个，基层医生忙着填表，看病的时间少了",
		"在%s遇到一位医生，半夜还主动回来查房，非常感谢",
		"%s收费单上有一项费用没人能解释清楚",
	}
	wishes = []string{"希望领导重视，尽快改进。", "建议增加窗口和人手。", "希望能给个说法。",
		"特此表扬，希望继续保持。", "请核实处理，谢谢。", "希望简化流程，少让群众跑腿。", ""}
	responsibles = []string{"门诊部主任", "护理部主任", "分管副院长", "财务科科长", "办公室主任"}
	measures     = []string{"增开窗口，高峰时段增派人员", "组织服务礼仪培训，纳入月度考评", "公开收费项目，逐项核对",
		"调整排班，保证夜间有医生值守", "清理会议文件，精简报表"}
	replies = []string{"您反映的问题已转相关科室核实整改，感谢您的监督。",
		"经核实，已对相关人员进行批评教育，并调整了排班。", "已增设咨询台和指示牌，欢迎继续提出意见。"}
)

// Generator makes made-up opinions. It is not safe for concurrent use.
type Generator struct {
	rnd   *rand.Rand
	units []string
	today time.Time
	days  int
}

// New returns a generator over units, with dates spread over the months before today.
func New(seed uint64, units []storage.Unit, today time.Time, months int) *Generator {
	codes := make([]string, len(units))
	for i, u := range units {
		codes[i] = u.Code
	}
	return &Generator{rnd: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), units: codes,
		today: today, days: months * 30}
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// Next returns one made-up opinion.
func (g *Generator) Next() storage.SeedOpinion {
	r := g.rnd
	dept := pick(r, depts)
	place := dept
	if place == "" {
		place = "医院"
	}
	content := pick(r, openings) + strings.Replace(pick(r, scenes), "%s", place, 1) + "。" + pick(r, wishes)
	o := storage.SeedOpinion{
		NewOpinion: storage.NewOpinion{
			Type:      pick(r, vocab.Types).Code,
			UnitCode:  pick(r, g.units),
			Dept:      dept,
			Submitter: pick(r, vocab.Submitters).Code,
			Content:   content,
		},
		CreatedOn: g.today.AddDate(0, 0, -r.IntN(g.days)).Format("2006-01-02"),
		Status:    pick(r, seedStatuses),
	}
	if o.Status != lifecycle.Received && r.IntN(3) > 0 {
		for _, st := range sifeng.Styles {
			if r.IntN(4) == 0 {
				o.Styles = append(o.Styles, st.Code)
			}
		}
	}
	if o.Status != lifecycle.Received && o.Status != lifecycle.Triaged && o.Status != lifecycle.Rejected &&
		o.Status != lifecycle.Forwarded {
		created, _ := time.Parse("2006-01-02", o.CreatedOn)
		o.Rectification = &storage.Rectification{
			LeadUnit:    o.UnitCode,
			Responsible: pick(r, responsibles),
			Measures:    pick(r, measures),
			Ledger:      pick(r, lifecycle.Ledgers).Code,
			Deadline:    created.AddDate(0, 0, 7+r.IntN(40)).Format("2006-01-02"),
		}
		if o.Status != lifecycle.Assigned {
			o.Rectification.Kind = pick(r, lifecycle.Kinds[:2]).Code // immediate or timed: no explanation needed
		}
	}
	if r.IntN(2) == 0 || o.Status == lifecycle.Closed || o.Status == lifecycle.Rejected || o.Status == lifecycle.Forwarded {
		if o.Status != lifecycle.Received {
			o.Reply = pick(r, replies)
			o.RepliedOn = o.CreatedOn
		}
	}
	return o
}

// seedStatuses are the statuses made-up opinions get: every one but 重复, which needs another
// opinion to point to.
var seedStatuses = func() []string {
	var out []string
	for _, s := range lifecycle.Statuses {
		if s.Code != lifecycle.Duplicate {
			out = append(out, s.Code)
		}
	}
	return out
}()
