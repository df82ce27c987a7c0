-- 汇总梳理: the taxonomy an opinion is sorted by, besides the four styles (opinion_styles): the
-- manifestations of each style (requirements §2.1) and the secondary families of feature 27.
-- It lives here, not in code, because the activity office edits it (feature 60): adds, renames,
-- retires (a tag in use is never deleted: old opinions and old reports keep it), and keeps the
-- keywords of each. Labels are written in Simplified Chinese and in English; Traditional is made
-- from the Simplified by OpenCC when shown, as for every other label.
CREATE TABLE tags (
    code       TEXT PRIMARY KEY CHECK (code GLOB '[a-z]*' AND code NOT GLOB '*[^a-z0-9_-]*' AND length(code) <= 40),
    kind       TEXT NOT NULL CHECK (kind IN ('manifestation', 'family')),
    style      TEXT CHECK (style IN ('formalism', 'bureaucratism', 'hedonism', 'extravagance')),
    label      TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 60),
    label_en   TEXT NOT NULL DEFAULT '' CHECK (length(label_en) <= 120),
    keywords   TEXT NOT NULL DEFAULT '' CHECK (length(keywords) <= 2000), -- one per line, Simplified
    position   INTEGER NOT NULL,
    retired_on TEXT CHECK (retired_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    CHECK ((kind = 'manifestation') = (style IS NOT NULL))
) WITHOUT ROWID;

CREATE TABLE opinion_tags (
    opinion_id TEXT NOT NULL REFERENCES opinions(id) ON DELETE CASCADE,
    tag        TEXT NOT NULL REFERENCES tags(code),
    PRIMARY KEY (opinion_id, tag)
) WITHOUT ROWID;
CREATE INDEX opinion_tags_by_tag ON opinion_tags (tag, opinion_id);

-- Feature 30's attribute flags: 作风问题 (conduct) or 工作问题 (work); 共性 (common) or 个性
-- (individual). Empty until a reviewer decides.
ALTER TABLE opinions ADD COLUMN nature TEXT NOT NULL DEFAULT '' CHECK (nature IN ('', 'conduct', 'work'));
ALTER TABLE opinions ADD COLUMN reach TEXT NOT NULL DEFAULT '' CHECK (reach IN ('', 'common', 'individual'));

-- The suggestion models: the one in use (active = 1) and those before it, each with what it
-- learnt from and how it measured on items it never saw, as encoded by package suggest.
CREATE TABLE suggest_models (
    id         INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    model      BLOB NOT NULL,
    info       TEXT NOT NULL, -- JSON: suggest.Info
    active     INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1))
);
CREATE UNIQUE INDEX suggest_models_one_active ON suggest_models (active) WHERE active = 1;

INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('formalism-unsolid', 'manifestation', 'formalism', '作风不实、不求实效', 'Work that is not solid or does not seek real results', 10);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('formalism-falsify', 'manifestation', 'formalism', '弄虚作假', 'Falsifying or faking results', 20);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('formalism-meetings', 'manifestation', 'formalism', '文山会海（会议、文件、简报过多）', 'Too many meetings, documents and briefings', 30);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('formalism-perfunctory', 'manifestation', 'formalism', '走过场、流于形式', 'Going through the motions', 40);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('formalism-goodnews', 'manifestation', 'formalism', '报喜不报忧、欺上瞒下', 'Reporting only good news, hiding problems from superiors', 50);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('formalism-vanity', 'manifestation', 'formalism', '“形象工程”“政绩工程”', 'Vanity projects and showcase achievements', 60);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('formalism-festivities', 'manifestation', 'formalism', '节庆、评比表彰和达标活动过多', 'Too many celebrations, award ceremonies and target campaigns', 70);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('bureaucratism-hard', 'manifestation', 'bureaucratism', '门难进、脸难看、事难办', 'Hard to get in, unfriendly faces, hard to get things done', 80);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('bureaucratism-buckpassing', 'manifestation', 'bureaucratism', '推诿扯皮、久拖不办', 'Passing the buck, letting matters drag on', 90);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('bureaucratism-slow', 'manifestation', 'bureaucratism', '办事效率低', 'Slow, inefficient service', 100);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('bureaucratism-aloof', 'manifestation', 'bureaucratism', '脱离群众、高高在上', 'Out of touch with people, acting superior', 110);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('bureaucratism-cold', 'manifestation', 'bureaucratism', '对患者冷漠、态度生冷硬', 'Cold or harsh towards patients', 120);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('bureaucratism-undemocratic', 'manifestation', 'bureaucratism', '重大决策不民主、不科学', 'Major decisions taken without consultation or evidence', 130);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('bureaucratism-disobey', 'manifestation', 'bureaucratism', '有令不行、有禁不止', 'Orders not carried out, bans not enforced', 140);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('bureaucratism-arbitrary', 'manifestation', 'bureaucratism', '乱收费、乱罚款、乱摊派', 'Arbitrary charges, fines or levies', 150);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('hedonism-lazy', 'manifestation', 'hedonism', '庸懒散拖', 'Mediocre, lazy, lax or slow at work', 160);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('hedonism-absent', 'manifestation', 'hedonism', '迟到早退、上班干私事', 'Arriving late, leaving early, private business at work', 170);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('hedonism-drinking', 'manifestation', 'hedonism', '工作日饮酒', 'Drinking on working days', 180);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('hedonism-complacent', 'manifestation', 'hedonism', '贪图安逸、不思进取', 'Seeking comfort, no drive to improve', 190);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('hedonism-privilege', 'manifestation', 'hedonism', '讲究排场、搞特权', 'Showing off and seeking privileges', 200);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('hedonism-housing', 'manifestation', 'hedonism', '领导干部多占住房、待遇超标', 'Leaders taking extra housing or benefits above standard', 210);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('extravagance-banquets', 'manifestation', 'extravagance', '公款吃喝、公款送礼', 'Banquets and gifts at public expense', 220);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('extravagance-receptions', 'manifestation', 'extravagance', '迎来送往、公务接待超标', 'Lavish receptions and send-offs above standard', 230);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('extravagance-threepublic', 'manifestation', 'extravagance', '“三公”经费开支过大', 'Excessive spending on the “three public expenses” (三公经费)', 240);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('extravagance-cars', 'manifestation', 'extravagance', '公车私用、超标配车', 'Official cars for private use or above standard', 250);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('extravagance-slushfund', 'manifestation', 'extravagance', '私设“小金库”', 'Secret “small treasuries” (小金库)', 260);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('extravagance-waste', 'manifestation', 'extravagance', '铺张浪费、办公经费浪费', 'Extravagance and waste of office funds', 270);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('eightrules', 'family', NULL, '八项规定', 'The eight-point rules (八项规定)', 280);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('threepublic', 'family', NULL, '三公经费', 'The “three public expenses” (三公经费)', 290);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('duty_consumption', 'family', NULL, '职务消费', 'Spending in office (职务消费)', 300);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('favour_consumption', 'family', NULL, '人情消费', 'Gifts and favours (人情消费)', 310);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('official_cars', 'family', NULL, '公务用车', 'Official cars (公务用车)', 320);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('office_space', 'family', NULL, '办公用房', 'Office space (办公用房)', 330);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('conduct', 'family', NULL, '行风/医德医风', 'Professional ethics (行风/医德医风)', 340);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('kickbacks', 'family', NULL, '红包回扣/开单提成', 'Red envelopes and kickbacks (红包回扣/开单提成)', 350);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('arbitrary_fees', 'family', NULL, '乱收费', 'Improper charges (乱收费)', 360);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('overtreatment', 'family', NULL, '不合理诊疗', 'Unnecessary treatment or tests (不合理诊疗)', 370);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('refusing_patients', 'family', NULL, '推诿病人', 'Turning patients away (推诿病人)', 380);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('service_attitude', 'family', NULL, '服务态度', 'Attitude towards patients (服务态度)', 390);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('labour_discipline', 'family', NULL, '劳动纪律', 'Work discipline (劳动纪律)', 400);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('medical_safety', 'family', NULL, '医疗质量安全', 'Quality and safety of care (医疗质量安全)', 410);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('environment_process', 'family', NULL, '就医环境流程', 'Surroundings and procedures (就医环境流程)', 420);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('enforcement', 'family', NULL, '执法', 'Law enforcement (执法)', 430);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('safety_hazard', 'family', NULL, '安全隐患', 'Safety hazards (安全隐患)', 440);
INSERT INTO tags (code, kind, style, label, label_en, position) VALUES ('praise', 'family', NULL, '表扬', 'Praise (表扬)', 450);

-- Each tag's keywords, as suggest/corpus/keywords.json has them (from the seeds' dictionaries
-- and plain speech); administrators keep them from here on.
UPDATE tags SET keywords = '乱收费
多收
重复收费
分解收费
收费标准
费用清单
不给收据
多扣
收费项目
价格不一样' WHERE code = 'arbitrary_fees';
UPDATE tags SET keywords = '脱离群众
高高在上
不接地气
不下基层
不进病房
只听汇报
不知道下面
不管职工
发扬吃苦精神
漠视' WHERE code = 'bureaucratism-aloof';
UPDATE tags SET keywords = '乱收费
乱罚款
乱摊派
吃拿卡要
巧立名目
强制购买
不给收据
罚款没依据
摊派任务
索要
拿走两箱' WHERE code = 'bureaucratism-arbitrary';
UPDATE tags SET keywords = '推诿
扯皮
踢皮球
不归我们管
不是我们科
推来推去
两边跑
转了一圈
互相推
让去县里
首诊负责' WHERE code = 'bureaucratism-buckpassing';
UPDATE tags SET keywords = '态度冷漠
生冷硬
爱看不看
骂人
摔单子
不耐烦
不理人
嫌脏
吼人
装没听见
活该' WHERE code = 'bureaucratism-cold';
UPDATE tags SET keywords = '有令不行
有禁不止
上有政策
下有对策
明令禁止
照收不误
换了个名目
说一套做一套
禁止
上面说了' WHERE code = 'bureaucratism-disobey';
UPDATE tags SET keywords = '门难进
脸难看
事难办
跑了好几趟
材料不全
还要证明
不给办
找不到人
自己上网查
盖章' WHERE code = 'bureaucratism-hard';
UPDATE tags SET keywords = '效率低
办事慢
久拖不办
拖了半年
还在审批
等通知
一直没修
没有下文
中梗阻
说要等
在走流程' WHERE code = 'bureaucratism-slow';
UPDATE tags SET keywords = '一言堂
一个人说了算
不民主
没征求意见
事先没问
关起门来定
院长拍板
三重一大
职代会没讨论
班子会
没人问过' WHERE code = 'bureaucratism-undemocratic';
UPDATE tags SET keywords = '医德医风
红包
回扣
兼职坐诊
私人诊所
假证明
病假条
泄露隐私
收礼
行风' WHERE code = 'conduct';
UPDATE tags SET keywords = '职务消费
手机费
通讯费
会员卡
疗养
商务舱
住套房
签单
红木家具
按摩椅' WHERE code = 'duty_consumption';
UPDATE tags SET keywords = '八项规定
公务接待
购物卡
节日慰问
宴请
吃请
检查组
调研
送礼
上级来人' WHERE code = 'eightrules';
UPDATE tags SET keywords = '无证
黑诊所
卫生许可
健康证
监督所
执法
非法行医
卫生监督
资质
罚款' WHERE code = 'enforcement';
UPDATE tags SET keywords = '排长队
挂号难
停车难
等了半天
流程繁琐
来回跑
指示牌
电梯坏了
没地方坐
太挤
看病难' WHERE code = 'environment_process';
UPDATE tags SET keywords = '公款吃喝
公款送礼
购物卡
大吃大喝
请客送礼
挂账
签单
酒席
土特产
科室经费
招待
酒店' WHERE code = 'extravagance-banquets';
UPDATE tags SET keywords = '公车私用
公车私驾
超标配车
公车接送
公务车
单位的车
医院的车
加油卡
专车
公车' WHERE code = 'extravagance-cars';
UPDATE tags SET keywords = '迎来送往
接待超标
陪吃陪喝
高速口接
拉横幅
鲜花果盘
陪同的人
安排游玩
四菜一汤
上面来人
迎接' WHERE code = 'extravagance-receptions';
UPDATE tags SET keywords = '小金库
账外
不入账
不开票
收现金
私账
小账
返利
备用金
白条
另一个本子' WHERE code = 'extravagance-slushfund';
UPDATE tags SET keywords = '三公经费
出国考察
公款旅游
差旅费
接待费
考察学习
超预算
商务舱
车辆运行费
去外省' WHERE code = 'extravagance-threepublic';
UPDATE tags SET keywords = '铺张浪费
浪费
重新装修
没拆封
闲置
灯全开着
空调不关
一次就扔
重印
砸了重装
大手大脚' WHERE code = 'extravagance-waste';
UPDATE tags SET keywords = '人情消费
随礼
份子钱
上礼
礼金
升学宴
满月
凑钱
拜年
随份子' WHERE code = 'favour_consumption';
UPDATE tags SET keywords = '弄虚作假
造假
虚报
补签
编数据
编一个数
照着抄
日期往前写
替病人点满意
根本没人来过' WHERE code = 'formalism-falsify';
UPDATE tags SET keywords = '评比
达标活动
评先进
表彰大会
文艺汇演
知识竞赛
创建文明
迎检
网络投票
演讲比赛
节目' WHERE code = 'formalism-festivities';
UPDATE tags SET keywords = '报喜不报忧
欺上瞒下
瞒报
别往外说
不让往上报
压着没报
统一口径
写的是良好
全年零纠纷' WHERE code = 'formalism-goodnews';
UPDATE tags SET keywords = '文山会海
会议太多
开不完的会
填不完的表
台账
报表
重复录入
录好几遍
学习笔记
学习打卡
简报
赶材料' WHERE code = 'formalism-meetings';
UPDATE tags SET keywords = '走过场
流于形式
走形式
签个字就走
拍几张照片
念文件
应付检查
换个日期
没有下文
提前打好勾' WHERE code = 'formalism-perfunctory';
UPDATE tags SET keywords = '不求实效
作风不实
知行不一
表面文章
光喊口号
一条都没落实
喊了好几年
大锅饭
干多干少一个样
只挂了牌子
措施' WHERE code = 'formalism-unsolid';
UPDATE tags SET keywords = '形象工程
政绩工程
面子工程
雕塑
大屏幕
剪彩
领导来了才开
一直锁着
落灰
花了几十万' WHERE code = 'formalism-vanity';
UPDATE tags SET keywords = '迟到
早退
脱岗
离岗
串岗
玩手机
打游戏
打麻将
炒股
网购
干私活
上班时间' WHERE code = 'hedonism-absent';
UPDATE tags SET keywords = '不思进取
贪图安逸
混日子
等退休
多一事不如少一事
别折腾
安于现状
不愿意学
老办法
得过且过' WHERE code = 'hedonism-complacent';
UPDATE tags SET keywords = '工作日饮酒
喝了酒
酒气
酒味
喝多了
酒后
划拳
白酒
中午喝
啤酒' WHERE code = 'hedonism-drinking';
UPDATE tags SET keywords = '多占住房
办公室超标
占着周转房
带卧室的办公室
两间办公室
待遇超标
领导公寓
套间
分了两套' WHERE code = 'hedonism-housing';
UPDATE tags SET keywords = '庸懒散拖
磨磨蹭蹭
拖拖拉拉
值班睡觉
趴在桌上睡
敷衍了事
出工不出力
说了不来
一拖再拖
随手一扔' WHERE code = 'hedonism-lazy';
UPDATE tags SET keywords = '特权
讲排场
插队
打过招呼
领导专用
关系户
前呼后拥
领导亲戚
开小灶
帮忙搬家
不用排队' WHERE code = 'hedonism-privilege';
UPDATE tags SET keywords = '红包
回扣
提成
开单提成
医药代表
药商
厂家的人
好处费
商业贿赂
意思意思
塞信封' WHERE code = 'kickbacks';
UPDATE tags SET keywords = '迟到
早退
脱岗
串岗
玩手机
打牌
吃早点
上班时间
睡岗
喝酒
值班室' WHERE code = 'labour_discipline';
UPDATE tags SET keywords = '医疗事故
差错
误诊
感染
拿错药
打错针
名字不对
没核对
过期药
消毒' WHERE code = 'medical_safety';
UPDATE tags SET keywords = '办公用房
院长办公室
办公室超标
周转房
职工宿舍
多占住房
套间
面积超标
办公楼' WHERE code = 'office_space';
UPDATE tags SET keywords = '公车
公务车
公务用车
单位的车
医院的车
配车
加油卡
专车
车队' WHERE code = 'official_cars';
UPDATE tags SET keywords = '大处方
人情方
滥检查
过度检查
过度治疗
没必要做
开了一大堆
保健品
营养液
非要住院' WHERE code = 'overtreatment';
UPDATE tags SET keywords = '表扬
感谢
谢谢
锦旗
点赞
好医生
好护士
耐心
辛苦了
暖心
负责任' WHERE code = 'praise';
UPDATE tags SET keywords = '推诿病人
首诊负责
不收
拒收
不接诊
不归我们科
让去县里
推回来
没建档不收' WHERE code = 'refusing_patients';
UPDATE tags SET keywords = '安全隐患
消防
灭火器
消防通道
电线
配电箱
氧气瓶
漏电
塌了
锅炉房' WHERE code = 'safety_hazard';
UPDATE tags SET keywords = '态度差
态度恶劣
不耐烦
骂人
吵架
不礼貌
语气冲
不解释
爱答不理
说话难听
语气
说话太快' WHERE code = 'service_attitude';
UPDATE tags SET keywords = '三公经费
接待费
出国
差旅费
考察
公务接待
车辆运行费
油卡
公务用车' WHERE code = 'threepublic';
