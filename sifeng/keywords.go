package sifeng

import (
	"sort"
	"strings"

	"minsheng/hanzi"
)

// Hint says an opinion may concern a style, and which of its words suggest it.
type Hint struct {
	Style    string   // a style code
	Keywords []string // the words found, in the order the text has them
}

// keywords are the words that suggest each style: the seeds' dictionary (requirements §2.4),
// written in Simplified and matched against hanzi.Fold of the text, so 門難進 finds 门难进.
//
// Hints are advice next to the checkboxes, never a tag, but a hint on every other opinion would
// teach reviewers to ignore them. So words that are everyday speech in a hospital were left out
// or made longer: 接待 (the reception desk), 娱乐, 会议, 浪费 (浪费时间), 简报, 评比, 达标, 填表,
// 检查多 and 重复检查 (a patient's tests, not inspections: 不合理诊疗, another family),
// 聊天, 发短信 (SMS notices), 喝酒 and 饮酒 alone (medical advice), 首诊 alone, 不公平 and
// 不公开 alone, 缩水 and 走样 alone, 腐败 alone (饭菜腐败变质).
var keywords = map[string][]string{
	"formalism": {
		"形式主义", "走过场", "弄虚作假", "造假", "虚报", "表面文章", "报喜不报忧", "欺上瞒下", "流于形式",
		"文山会海", "会议太多", "开会多", "文件多", "简报过多", "多头检查", "形象工程", "政绩工程",
		"不求实效", "知行不一", "贪图虚名", "作风不实", "大锅饭",
		// Found missing on testdata/labelled.tsv.
		"应付了事", "应付检查", "应付考核", "表格太多", "报表太多", "各种表格",
	},
	"bureaucratism": {
		"官僚主义", "官僚作风", "门难进", "脸难看", "事难办", "推诿", "扯皮", "推脱", "踢皮球", "拖延",
		"久拖不办", "效率低", "办事慢", "中梗阻", "不作为", "慢作为", "乱作为", "不担当", "高高在上",
		"脱离群众", "冷漠", "生硬", "粗暴", "生冷硬", "吃拿卡要", "刁难", "乱罚款", "乱摊派",
		"选择性执法", "执法不公", "办事不公", "不公正", "缩水走样", "与民争利", "不民主", "一言堂",
		"上有政策下有对策", "有令不行", "在位不在岗", "懒政", "推诿病人", "首诊负责制",
		// Found missing on testdata/labelled.tsv: how patients say it.
		"效率太低", "不闻不问", "没人管", "推来推去", "来回跑", "冷淡",
	},
	"hedonism": {
		"享乐主义", "迟到", "早退", "脱岗", "串岗", "离岗", "上班聊天", "玩手机", "打游戏", "电脑游戏",
		"电话粥", "吃早点", "打牌", "赌博", "扑克", "下棋", "看小说", "干私活", "办私事",
		"上班喝酒", "上班饮酒", "工作日饮酒", "酒后", "一身酒气", "满身酒气", "庸懒散", "懒散", "拖拉",
		"得过且过", "不思进取", "贪图安逸", "追名逐利", "讲排场", "特权", "多占住房", "占用办公用房",
		"超标准接待", "超标准用餐", "住宿超标",
		// Found missing on testdata/labelled.tsv.
		"酒气", "散漫", "找不到人", "不来上班",
	},
	"extravagance": {
		"奢靡", "铺张", "挥霍", "大吃大喝", "公款", "公款吃喝", "公款送礼", "请客送礼", "迎来送往",
		"宴请", "高消费", "小金库", "三公经费", "公车私用", "公车私驾", "超标配车", "出国考察",
		"公款旅游", "职务消费", "人情消费", "以权谋私", "贪腐", "贪污腐败",
	},
}

// Suggest returns the styles text may concern, in the customary order, each with the words
// found. A word found only inside a longer one of the same style (推诿 in 推诿病人) is not
// listed again. It returns nil when nothing suggests a style.
func Suggest(text string) []Hint {
	folded := hanzi.Fold(text)
	var hints []Hint
	for _, st := range Styles {
		type found struct {
			word string
			at   int
		}
		var hits []found
		for _, w := range keywords[st.Code] {
			if at := strings.Index(folded, w); at >= 0 {
				hits = append(hits, found{w, at})
			}
		}
		sort.SliceStable(hits, func(i, j int) bool { return hits[i].at < hits[j].at })
		all := make([]string, len(hits))
		for i, h := range hits {
			all[i] = h.word
		}
		var words []string
		for _, w := range all {
			if !insideLonger(w, all) {
				words = append(words, w)
			}
		}
		if len(words) > 0 {
			hints = append(hints, Hint{Style: st.Code, Keywords: words})
		}
	}
	return hints
}

// insideLonger reports whether w is part of another, longer word of words.
func insideLonger(w string, words []string) bool {
	for _, o := range words {
		if len(o) > len(w) && strings.Contains(o, w) {
			return true
		}
	}
	return false
}
