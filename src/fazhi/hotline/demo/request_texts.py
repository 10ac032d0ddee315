"""Synthetic citizen requests (诉求) and callers for the demo and for tests.

Everything produced here is SYNTHETIC: the texts are assembled at random from phrase
pools written for the demo, the names are random combinations of common characters and
the mobile numbers are random numbers behind the 170/171 prefixes. They describe no real
event or person and must not be dialled or used outside demos and tests.

A request is built from several pools per hotline category (where, what, how long, what
it causes, what the caller asks, or a question / suggestion / praise), glued together by
request-kind specific openers and closings, so that texts vary in wording and shape.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

__all__ = [
    "MAX_LENGTH",
    "MIN_LENGTH",
    "REQUEST_KINDS",
    "synthetic_person",
    "synthetic_request",
]

REQUEST_KINDS: tuple[str, ...] = (
    "consultation",
    "complaint",
    "report",
    "suggestion",
    "help",
    "praise",
)
_KIND_WEIGHTS: tuple[int, ...] = (30, 36, 7, 5, 20, 2)

MIN_LENGTH = 20
MAX_LENGTH = 150


@dataclass(frozen=True)
class _Pools:
    """Phrase pools of one category.

    ``places`` are stand-alone locations or lead-in clauses (ending in "，"); ``spots`` are
    locations relative to an address given by the caller (e.g. "门口"). Categories without
    spots are personal matters: a given address becomes "我住在…，".
    """

    places: tuple[str, ...]
    problems: tuple[str, ...]
    impacts: tuple[str, ...]
    asks: tuple[str, ...]
    questions: tuple[str, ...]
    suggestions: tuple[str, ...]
    praise: tuple[str, ...]
    spots: tuple[str, ...] = ()


_POOLS: dict[str, _Pools] = {
    "CITY_APPEARANCE": _Pools(
        places=(
            "菜市场门口",
            "小区大门口",
            "建设路的人行道上",
            "学校门口",
            "公交站旁边",
            "夜市那一段路",
        ),
        spots=("门口", "附近", "大门外", "旁边那条街上"),
        problems=(
            "每天早上都有人摆摊卖菜，把人行道占得满满的",
            "有几家店把货物和桌子摆到店外面",
            "一到晚上就有流动烧烤摊，烟熏火燎的",
            "有家餐馆的油烟直接对着居民楼的窗户排",
            "乱堆了很多建筑材料和旧家具，一直没人清",
            "新挂了一块很大的广告牌，风一吹就晃",
            "有开三轮车的流动摊贩堵在路口卖水果",
        ),
        impacts=(
            "行人只能绕到机动车道上走，很危险",
            "家里窗户都不敢开",
            "小孩上学路过很不安全",
            "晚上吵到很晚，垃圾扔一地",
        ),
        asks=(
            "希望城管来管一管",
            "请安排执法人员来看一下",
            "能不能规划一个固定的摊点",
            "请尽快清理",
        ),
        questions=(
            "想问一下在自己店门口摆几张桌子算不算占道经营",
            "请问户外广告牌要到哪里审批",
            "想了解一下流动摊贩可以在哪些地方摆摊",
            "请问餐饮店的油烟净化有什么要求",
        ),
        suggestions=(
            "建议在菜市场旁边划一块便民摊位区",
            "建议晚上加强巡查",
            "建议对沿街门店落实门前三包",
        ),
        praise=("城管队员处理占道经营很及时，态度也好", "门口的摊贩清理以后通行顺畅多了"),
    ),
    "ILLEGAL_BUILDING": _Pools(
        places=("我们楼顶", "小区绿化带里", "隔壁栋一楼", "对面那栋楼", "村里路边", "小区架空层"),
        spots=("楼顶", "的绿化带里", "一楼", "后面的空地上"),
        problems=(
            "有住户搭了一层铁皮房",
            "有人把绿地圈起来建了个小房子",
            "有住户私自往外扩建了好几平米",
            "有人装修把承重墙打掉了",
            "有人在公共过道上搭了个棚子",
            "有人没有任何手续就在盖房子",
        ),
        impacts=(
            "下雨天楼下都漏水",
            "担心房子结构出安全问题",
            "把消防通道都挡住了",
            "小区的绿地越来越少",
        ),
        asks=(
            "请城管部门依法拆除",
            "希望尽快制止，不然就建好了",
            "请来现场核实一下",
            "麻烦查一下有没有审批手续",
        ),
        questions=(
            "想问一下在自家院子搭雨棚需不需要审批",
            "请问举报违章建筑要提供哪些材料",
            "请问阳台封窗算不算违建",
            "农村自建房加层要办什么手续",
        ),
        suggestions=("建议加强对小区装修的巡查", "建议物业发现违建及时上报"),
        praise=("我们楼顶的违建已经拆了，谢谢城管局的同志",),
    ),
    "SANITATION": _Pools(
        places=("小区垃圾站", "巷子口", "农贸市场旁边", "公园的公厕", "我们那栋楼下", "建设路两边"),
        spots=("的垃圾站", "门口", "旁边的巷子里", "附近的公厕"),
        problems=(
            "垃圾好几天没人清运，堆得老高",
            "垃圾桶满了溢出来，到处是苍蝇",
            "又脏又臭，也没有人打扫",
            "全是落叶和垃圾，环卫工好几天没来扫",
            "有人往空地上倒生活垃圾",
            "垃圾车清运的时候污水洒了一路",
        ),
        impacts=(
            "天气一热臭得不得了",
            "老鼠蟑螂都出来了",
            "小孩都不敢在下面玩",
            "路过都要捂着鼻子",
        ),
        asks=("麻烦安排环卫尽快清运", "希望增加清运次数", "请派人打扫一下", "能不能多放几个垃圾桶"),
        questions=(
            "请问大件垃圾应该怎么处理",
            "想问一下垃圾分类的投放时间",
            "请问装修垃圾要拉到哪里倒",
            "小区垃圾清运是物业负责还是环卫负责",
        ),
        suggestions=("建议在巷子里加装几个垃圾桶", "建议夏天每天清运两次"),
        praise=("环卫工人每天很早就来打扫，街道干净多了",),
    ),
    "MUNICIPAL": _Pools(
        places=(
            "红旗路",
            "小区门口那段路",
            "建设路和人民路交叉口",
            "学校旁边的人行道",
            "公园里面",
            "铁路桥下面",
        ),
        spots=("门口那段路", "旁边的人行道", "外面的马路", "附近"),
        problems=(
            "路面坑坑洼洼的，有个大坑",
            "井盖不见了，只剩一个黑洞",
            "路灯坏了一大片，晚上黑漆漆的",
            "下水道堵了，污水往外冒",
            "一下雨就积水，水淹到膝盖",
            "行道树的树枝快要压到电线了",
            "人行道的地砖松动翘起来了",
        ),
        impacts=(
            "晚上骑电动车差点摔倒",
            "老人小孩走路很危险",
            "车子都开不过去",
            "底层住户家里都进水了",
        ),
        asks=(
            "请尽快派人修一下",
            "麻烦先放个警示牌",
            "希望彻底解决，不要只是临时补一下",
            "请市政部门来看看",
        ),
        questions=(
            "请问路灯坏了应该找哪个部门报修",
            "想问一下小区外面的道路归谁维护",
            "请问修剪行道树要找哪里",
        ),
        suggestions=("建议雨季前把下水道清一遍", "建议在路口加装路灯"),
        praise=("反映的路灯第二天就修好了，效率很高",),
    ),
    "PROPERTY_MGMT": _Pools(
        places=("我们小区", "小区3栋", "小区地下车库", "我住的那栋楼"),
        spots=("", "3栋", "的地下车库", "里"),
        problems=(
            "电梯三天两头坏，今天又把人困在里面了",
            "物业服务越来越差，保安都不在岗",
            "物业突然要涨物业费，也没有开业主大会",
            "物业把公共区域租出去停车收钱",
            "楼道灯坏了好久物业也不修",
            "业委会换届选举，物业一直在阻挠",
            "申请用维修资金修屋顶，物业拖着不办",
        ),
        impacts=("老人上下楼太难了", "业主意见很大", "交了钱却得不到服务", "雨天楼顶漏水"),
        asks=(
            "请住建部门督促物业整改",
            "希望有人出面协调一下",
            "请查一下物业是否违规",
            "请帮忙监督物业尽快修好",
        ),
        questions=(
            "请问维修资金怎么申请使用",
            "想问一下成立业委会需要什么程序",
            "物业费标准是谁定的",
            "请问对物业不满意可以换吗",
        ),
        suggestions=("建议对物业公司服务质量定期考评", "建议物业公开收支情况"),
        praise=("住建局协调以后电梯终于换新的了",),
    ),
    "ENVIRONMENT": _Pools(
        places=("我们小区附近", "工业园旁边", "河边", "我们村后面", "老工业区那边", "我家旁边"),
        spots=("附近", "旁边", "后面"),
        problems=(
            "有家工厂的烟囱晚上偷偷排黑烟",
            "总有一股刺鼻的化学品味道",
            "有厂子往河里排污水，水都变色了",
            "有个工地晚上十二点还在打桩施工",
            "有人半夜往空地上倾倒工业废渣",
            "有个搅拌站粉尘特别大",
        ),
        impacts=("晚上都睡不着", "闻了头晕恶心", "附近居民意见很大", "窗户都不敢开"),
        asks=("请环保部门来检测一下", "希望依法查处", "请查一下有没有夜间施工许可", "希望尽快处理"),
        questions=(
            "请问工地夜间施工需要办什么手续",
            "想问一下怎么查企业的排污许可",
            "请问工业噪声超标的标准是多少",
        ),
        suggestions=("建议在工业园周边安装空气监测点", "建议对渣土车加强监管"),
        praise=("生态环境分局来检测以后工厂已经整改了",),
    ),
    "PUBLIC_ORDER": _Pools(
        places=("我们小区", "小区广场上", "我们这栋楼", "楼下", "公园里", "我们这条街上"),
        spots=("", "这边", "里", "附近"),
        problems=(
            "楼上住户每天晚上装修到十点多",
            "跳广场舞的音响开得特别大",
            "有家KTV半夜还在唱，吵得不行",
            "有个麻将馆好像有人在聚众赌博",
            "这几天总有陌生人在楼道里转悠",
            "有人喝醉了在门口闹事",
        ),
        impacts=("家里老人小孩都睡不好", "心里很不踏实", "第二天还要上班"),
        asks=("请派出所的同志来管一管", "希望警察加强巡逻", "请依法处理", "请帮忙协调一下"),
        questions=(
            "请问装修噪音晚上几点以后算扰民",
            "想问一下被电话诈骗了应该去哪里报案",
            "请问广场舞音量有什么规定",
        ),
        suggestions=("建议在小区周边多装几个监控", "建议晚上增加巡逻"),
        praise=("派出所民警处理很及时，谢谢他们",),
    ),
    "TRAFFIC": _Pools(
        places=("小区门口", "学校门口", "建设路口", "医院门口", "公交站", "人民路和红旗路交叉口"),
        spots=("门口", "外面的路口", "附近的公交站", "旁边的马路"),
        problems=(
            "每天都有车乱停乱放，把路堵了",
            "红绿灯坏了好几天，一直闪黄灯",
            "早晚高峰堵得动不了",
            "公交车班次太少，等半个小时都等不到",
            "公交站牌被撤了也没有说明",
            "出租车拒载还乱收费",
            "大货车在居民区里开得飞快",
        ),
        impacts=("上班经常迟到", "救护车都进不来", "差点出事故", "孩子过马路很危险"),
        asks=(
            "请交警来整治一下",
            "希望相关部门协调解决",
            "请尽快处理一下",
            "希望早点解决",
        ),
        questions=(
            "请问违章停车被贴了罚单怎么处理",
            "想问一下公交线路为什么调整",
            "请问电动车上牌在哪里办",
        ),
        suggestions=("建议在学校门口设置临时停车区", "建议增开一条到职教城的公交线路"),
        praise=("交警在学校门口疏导交通很辛苦，要表扬",),
    ),
    "WAGES": _Pools(
        places=(
            "我在一个工地上打工，",
            "我原来在一家厂里上班，",
            "我在一家装修公司做事，",
            "我在一家餐馆当服务员，",
            "我在物流园一家公司上班，",
            "",
        ),
        problems=(
            "老板拖欠了我三个月工资一直不给",
            "工程结束了，包工头跑了，工钱没拿到",
            "公司不签劳动合同，现在辞退也不给补偿",
            "天天加班，加班费一分都没有",
            "公司说经营困难，逼我们自己辞职",
        ),
        impacts=(
            "家里等着这钱过日子",
            "快过年了回不了家",
            "房租都交不起了",
            "一起的十几个工友都没拿到钱",
        ),
        asks=(
            "请劳动监察帮忙追讨工资",
            "希望人社部门介入",
            "想申请劳动仲裁，请你们帮忙",
            "请督促老板尽快支付",
        ),
        questions=(
            "请问没有签劳动合同可以要求双倍工资吗",
            "想问一下劳动仲裁要准备什么材料",
            "请问辞退补偿怎么计算",
            "加班费是怎么算的",
        ),
        suggestions=("建议对工地农民工工资专户加强检查", "建议把欠薪企业公开曝光"),
        praise=("劳动监察大队帮我们追回了工资，太感谢了",),
    ),
    "SOCIAL_SECURITY": _Pools(
        places=("", "我是灵活就业人员，", "我今年刚退休，", "我在外地打过几年工，"),
        problems=(
            "单位一直没给我交社保",
            "医保报销到现在还没到账",
            "失业金申请提交一个多月了没有消息",
            "社保卡丢了一直补办不了",
            "在网上办灵活就业参保一直不成功",
            "养老金资格认证总是失败",
        ),
        impacts=("跑了好几趟都没办成", "家里很着急", "打了好多电话都没人管"),
        asks=("请帮忙查一下原因", "希望尽快处理", "请给个明确答复"),
        questions=(
            "请问灵活就业人员怎么交养老保险",
            "想问一下异地就医怎么备案",
            "请问社保卡在哪里补办",
            "养老保险交满多少年可以领",
        ),
        suggestions=("建议社保窗口延长办理时间", "建议把认证流程做得简单一点"),
        praise=("社保窗口的工作人员很耐心，帮我一次就办好了",),
    ),
    "CONSUMER": _Pools(
        places=("附近", "商场里", "小区旁边", "我们这条街上", "学校旁边"),
        spots=("附近", "旁边", "门口"),
        problems=(
            "有家健身房卖了预付卡以后突然关门了",
            "有家培训机构，上了两节课想退费，机构不给退",
            "有家电器店卖的冰箱用了一个星期就坏了，不给换",
            "有家超市标价和结账的价格不一样",
            "有家服装店卖假货，要退货商家不理人",
            "有家美容店推销套餐，说好的效果都没有",
        ),
        impacts=("好几千块钱打水漂了", "很多会员都遇到这个问题", "家里老人被劝着买了很多"),
        asks=(
            "请市场监管部门帮忙维权",
            "希望帮我们把钱要回来",
            "请依法查处这个商家",
            "请帮忙协调退款",
        ),
        questions=(
            "请问预付卡退款有什么规定",
            "想问一下七天无理由退货怎么维权",
            "请问消费投诉需要哪些证据",
        ),
        suggestions=("建议对预付卡经营加强监管", "建议培训机构收费纳入资金监管"),
        praise=("市场监管局帮我把退款要回来了，非常感谢",),
    ),
    "FOOD_DRUG": _Pools(
        places=("小区门口", "学校附近", "菜市场里", "我们这条街上", "附近"),
        spots=("门口", "附近", "旁边"),
        problems=(
            "有家超市卖过期的牛奶和面包",
            "一家快餐店的饭菜吃了以后上吐下泻",
            "有家小吃店后厨很脏，有老鼠跑来跑去",
            "有人没有营业执照和卫生许可就在卖熟食",
            "有家药店卖处方药不要处方",
            "有个店宣传保健品能治病，老人买了很多",
        ),
        impacts=("孩子吃了肚子疼", "担心更多人吃出问题", "老人花了好几千"),
        asks=("请来检查一下", "希望依法查处", "请抽检一下他们的食品"),
        questions=(
            "请问食品安全问题怎么举报",
            "想问一下开小吃店要办什么证",
            "请问保健品和药品怎么区分",
        ),
        suggestions=("建议加强学校周边小吃店的检查", "建议多开展保健品防骗宣传"),
        praise=("市场监管所接到反映当天就来检查了，很负责",),
    ),
    "EDUCATION": _Pools(
        places=(
            "我家孩子今年上小学，",
            "孩子在附近的小学读书，",
            "孩子在读初中，",
            "我家孩子上幼儿园，",
            "",
        ),
        problems=(
            "分到的学位离家很远",
            "学校收了一笔资料费，没有任何说明",
            "学校的校车超载，挤得满满的",
            "听说有老师上课打骂学生",
            "课后服务收费高，内容就是看着写作业",
            "幼儿园突然涨了保教费",
        ),
        impacts=("家长意见很大", "家长们都很担心", "孩子也受影响"),
        asks=("请教育局核查一下", "希望给个合理的解释", "请规范管理"),
        questions=(
            "请问划片入学是怎么划的",
            "想问一下随迁子女入学要准备哪些材料",
            "课后服务是不是自愿参加",
            "请问转学手续怎么办",
        ),
        suggestions=("建议公开学区划分的依据", "建议课后服务多安排一些兴趣活动"),
        praise=("孩子的班主任很负责，想表扬一下",),
    ),
    "HEALTH": _Pools(
        places=(
            "我在社区卫生服务中心看病，",
            "我去区里的医院看病，",
            "我家老人住院，",
            "我带孩子去医院，",
            "",
        ),
        problems=(
            "医生态度很差，问两句就不耐烦",
            "挂号排了一上午还没看上",
            "打疫苗一直约不上",
            "做完手术出了问题，医院推卸责任",
            "医生开了很多不必要的药",
            "收费明细里有没做过的检查",
        ),
        impacts=("老人身体不好，等不起", "心里很气", "耽误了治疗"),
        asks=("请卫健局调查处理", "希望医院改进服务", "请核实处理"),
        questions=(
            "请问HPV疫苗怎么预约",
            "想问一下医疗纠纷怎么申请鉴定",
            "请问社区医院能不能办慢性病卡",
        ),
        suggestions=("建议社区医院增加周末门诊", "建议医院优化挂号流程"),
        praise=("社区医院的家庭医生上门服务很周到",),
    ),
    "CIVIL_AFFAIRS": _Pools(
        places=("", "我家里有个残疾的孩子，", "我父亲八十多岁了，", "我们家是困难户，"),
        problems=(
            "申请低保好几个月了没有结果",
            "老人一个人住没人照顾，想申请特困供养",
            "残疾人补贴这几个月没有到账",
            "社区养老服务中心收费不透明",
            "想预约婚姻登记，系统一直约不上",
        ),
        impacts=("家里生活越来越困难", "家里很着急"),
        asks=("请帮忙问一下进度", "希望民政部门上门看一下", "请给个答复"),
        questions=(
            "请问低保申请需要什么条件",
            "想问一下高龄补贴怎么申请",
            "请问残疾人两项补贴的标准是多少",
            "婚姻登记需要带什么材料",
        ),
        suggestions=("建议在社区多办几个老年食堂", "建议补贴发放情况短信通知本人"),
        praise=("民政局的同志上门帮我们办了低保，很暖心",),
    ),
    "HOUSING": _Pools(
        places=("我们这片棚改区", "安置小区", "公租房小区", "老厂区的宿舍"),
        spots=("", "这片棚改区", "的安置房", "旁边的老宿舍"),
        problems=(
            "房屋征收补偿标准跟别人的不一样",
            "签了棚改协议两年了，安置房还没交房",
            "申请公租房排了好久还没轮到",
            "安置房质量差，墙面开裂",
            "征收时说好的过渡费没有按时发",
        ),
        impacts=("一家人一直在外面租房", "心里很不平衡"),
        asks=("请住建部门给个说法", "希望按时交房", "请公开补偿标准"),
        questions=(
            "请问公租房申请条件是什么",
            "想问一下征收补偿怎么计算",
            "安置房什么时候可以办证",
        ),
        suggestions=("建议定期公布安置房建设进度",),
        praise=("征收办的同志耐心解释政策，我们都签了协议",),
    ),
    "LAND_REGISTRY": _Pools(
        places=("", "我家", "我们村", "我家那边"),
        problems=(
            "买的房子交房五年了，不动产权证还没办下来",
            "土地确权的时候面积量少了",
            "有片林地被别人占了",
            "后山有一块石头松动，怕滑坡",
            "房子过户一直办不了",
        ),
        impacts=("心里一直不踏实", "家里很着急"),
        asks=("请自然资源部门核实", "希望尽快办证", "请派人来现场看一下"),
        questions=(
            "请问不动产权证办理要多久",
            "想问一下继承房产怎么过户",
            "请问宅基地确权要什么材料",
        ),
        suggestions=("建议不动产登记开通网上预约",),
        praise=("不动产登记窗口帮我们加班办好了证",),
    ),
    "UTILITIES": _Pools(
        places=("我们小区", "整栋楼", "我们这一片", "村里"),
        spots=("", "这一片", "3栋", "附近"),
        problems=(
            "突然停水了，也没有提前通知",
            "水压特别低，楼上根本没有水",
            "自来水发黄，有异味",
            "一天停了好几次电",
            "燃气一直打不着火，报修没人来",
            "电压不稳，电器都烧坏了",
        ),
        impacts=("生活很不方便", "家里做不了饭", "老人洗不了澡"),
        asks=("请尽快恢复", "希望派人来检修", "请说明原因和恢复时间"),
        questions=(
            "请问什么时候恢复供电",
            "想问一下燃气开户要带什么材料",
            "这个月水费突然这么高，请问怎么查",
        ),
        suggestions=("建议停水停电提前在小区公告",),
        praise=("供电所的师傅冒雨抢修，很快就来电了",),
    ),
    "GOV_SERVICE": _Pools(
        places=("我在区政务大厅办事，", "我去政务大厅办业务，", "我在窗口办证，", ""),
        problems=(
            "办营业执照跑了三趟还没办下来",
            "窗口工作人员态度很差",
            "在湘易办上提交的申请一直显示审核中",
            "办事材料说不清楚，每次去都说缺东西",
            "想办跨省通办业务，窗口说不知道怎么办",
            "排队取号等了两个多小时",
        ),
        impacts=("耽误了开业时间", "请了好几天假", "很不方便"),
        asks=("请帮忙催一下进度", "希望一次性告知要带的材料", "请加强窗口管理"),
        questions=(
            "请问个体户营业执照怎么办理",
            "想问一下湘易办怎么实名认证",
            "请问跨省通办可以办哪些事项",
            "政务大厅周末上不上班",
        ),
        suggestions=("建议政务大厅中午不休息", "建议湘易办增加办理进度提醒"),
        praise=("政务大厅的工作人员帮我免费寄了证照，服务很好",),
    ),
    "DISPUTE": _Pools(
        places=("", "我们楼里，", "我们村里，", "最近"),
        problems=(
            "楼上漏水到我家，邻居不肯修",
            "邻居把杂物堆在公共楼道，说了也不听",
            "和房东因为押金闹矛盾，房东不退",
            "家里老人的赡养问题兄弟几个吵起来了",
            "邻居家的狗咬伤了我家孩子，不肯赔偿",
            "和邻居的宅基地边界有争议",
        ),
        impacts=("两家关系闹得很僵", "差点打起来了"),
        asks=("请社区帮忙调解一下", "希望街道出面协调", "请人民调解员来处理"),
        questions=(
            "请问邻里纠纷可以找谁调解",
            "想问一下调解协议有没有法律效力",
            "请问租房押金纠纷怎么处理",
        ),
        suggestions=("建议社区定期开展矛盾纠纷排查",),
        praise=("社区调解员帮我们把矛盾化解了",),
    ),
    "LEGAL_AID": _Pools(
        places=("", "我收入不高，", "我家里经济困难，"),
        problems=(
            "别人欠钱不还，想打官司但请不起律师",
            "请的律师收了钱不办事",
            "办继承公证要的材料太多",
            "工伤赔偿跟老板谈不拢",
            "离婚财产分割有争议",
        ),
        impacts=("不知道该怎么办", "拖了很久了"),
        asks=("想申请法律援助", "希望有律师给点意见", "请司法局帮帮忙"),
        questions=(
            "请问申请法律援助需要什么条件",
            "想咨询一下遗嘱公证怎么办",
            "请问哪里有免费的法律咨询",
            "被人打伤了怎么要赔偿",
        ),
        suggestions=("建议在社区多开展法律咨询活动",),
        praise=("法律援助中心的律师帮我打赢了官司",),
    ),
    "AGRICULTURE": _Pools(
        places=("我们村", "我们组", "村里", "我们村那边"),
        spots=("", "那边", "附近"),
        problems=(
            "我家的承包地被收回给别人种了",
            "耕地地力保护补贴今年还没发",
            "养殖场把死猪乱扔",
            "垃圾和污水没人管",
            "承包合同到期了，续签有争议",
            "好几户买的种子不出苗",
        ),
        impacts=("村民意见很大", "影响一家人的生活"),
        asks=("请农业农村局核实", "希望尽快解决", "请帮忙协调"),
        questions=(
            "请问种粮补贴什么时候发",
            "想问一下土地流转要签什么合同",
            "请问狗打狂犬疫苗去哪里",
        ),
        suggestions=("建议加强农村人居环境整治",),
        praise=("农技站的专家下乡指导，很有帮助",),
    ),
    "SAFETY": _Pools(
        places=("小区里", "商铺街", "我们这栋楼", "附近", "加油站附近", "地下车库里"),
        spots=("里", "附近", "楼下", "这边"),
        problems=(
            "消防通道被车堵死了",
            "消防栓是坏的，灭火器也过期了",
            "有人从楼上拉电线给电动车充电",
            "有栋自建房加到了五六层，墙体开裂",
            "有个小作坊存放了很多易燃的化学品",
            "闻到一股煤气味，怕是漏气",
        ),
        impacts=("万一着火后果不堪设想", "住在旁边的人很担心"),
        asks=("请应急管理部门来排查", "希望尽快整改", "请依法查处"),
        questions=(
            "请问电动车能不能停在楼道里",
            "想问一下自建房安全鉴定找哪里",
            "请问小作坊存放化学品要办什么证",
        ),
        suggestions=("建议在小区建电动车集中充电点",),
        praise=("应急局排查得很仔细，隐患都整改了",),
    ),
    "TELECOM": _Pools(
        places=("我家", "我们小区", "村里", "我们办公室"),
        spots=("", "这一片", "里面"),
        problems=(
            "手机信号特别差，打电话老是断",
            "宽带断网三天了，报修没人来",
            "楼顶要建基站，居民担心辐射",
            "每天都接到好几个骚扰电话",
            "宽带套餐被莫名升级，多扣了钱",
        ),
        impacts=("影响工作和生活", "家里人都很烦"),
        asks=("请运营商尽快修好", "希望改善一下信号", "请督促运营商处理"),
        questions=("请问怎么投诉骚扰电话", "想问一下宽带合约能不能提前解约", "基站辐射有没有标准"),
        suggestions=("建议在村里增加一个基站",),
        praise=("移动公司的师傅当天就上门修好了宽带",),
    ),
}

_OPENERS: dict[str, tuple[str, ...]] = {
    "complaint": (
        "",
        "你好，",
        "您好，我要投诉，",
        "我要反映一个问题，",
        "喂，你好，",
        "我反映好几次了，",
        "你好，我是附近的居民，",
    ),
    "report": ("我要举报，", "您好，我想举报一下，", "实名举报：", "你好，我要举报，"),
    "help": (
        "求助：",
        "您好，想请你们帮帮忙，",
        "你好，实在没办法了才打这个电话，",
        "麻烦帮个忙，",
        "",
    ),
    "consultation": ("你好，", "您好，", "咨询一下，", "你好，我想咨询个事情，", ""),
    "suggestion": ("我有个建议，", "提个建议：", "您好，", ""),
    "praise": ("我想表扬一下，", "打电话来是想说声谢谢，", "你好，"),
}
_DURATIONS = (
    "已经一个多星期了",
    "差不多半个月了",
    "好几天了",
    "从上个月到现在一直这样",
    "反映过两次了还是没解决",
    "这两天特别严重",
    "有一段时间了",
)
_CLOSINGS = ("", "", "谢谢。", "麻烦了。", "希望有个回复。", "请给个答复，谢谢。")
_CONSULT_CLOSINGS = ("", "谢谢。", "麻烦告知一下。", "谢谢你们。")
_GENERIC_QUESTIONS = ("这种情况应该找哪个部门", "这个归谁管", "这种情况可以怎么处理")
_ASK_GENERIC = ("希望尽快处理", "麻烦派人来看一下", "请相关部门管一管")
_RESIDENT_FORMS = ("我住在{}，", "我是{}的居民，", "我家在{}，")
_PLACE_FORMS = ("{}", "{}这边", "{}那里")
_PRAISE_TAILS = ("", "希望多表扬这样的工作人员。", "给他们点个赞。", "谢谢政府。")


def synthetic_request(
    rng: random.Random, category: str, place: str | None = None
) -> tuple[str, str]:
    """A synthetic (request_kind, content) pair for a hotline category code.

    ``request_kind`` is one of :data:`REQUEST_KINDS` (mostly complaint, consultation and
    help). ``content`` is colloquial Chinese of ``MIN_LENGTH``–``MAX_LENGTH`` characters.
    When ``place`` (e.g. an address hint of a community such as "樱花地带小区") is given
    it appears in the text. The result depends only on the state of ``rng``.
    """
    try:
        pools = _POOLS[category]
    except KeyError:
        raise ValueError(f"unknown category code: {category!r}") from None
    kind = rng.choices(REQUEST_KINDS, weights=_KIND_WEIGHTS)[0]
    if kind == "report" and category in _NOT_REPORTABLE:
        kind = "help"  # nobody "reports" their own pension or a quarrel with a neighbour
    text = ""
    for _ in range(30):
        text = _compose(rng, kind, category, pools, place)
        if MIN_LENGTH <= len(text) <= MAX_LENGTH:
            return kind, text
    # practically unreachable: the pools keep texts in range; shorten or pad to be safe
    if len(text) > MAX_LENGTH:
        text = text[: MAX_LENGTH - 1] + "。"
    while len(text) < MIN_LENGTH:
        text += _ASK_GENERIC[0] + "。"
    return kind, text


_NOT_REPORTABLE = frozenset(
    {"SOCIAL_SECURITY", "CIVIL_AFFAIRS", "DISPUTE", "LEGAL_AID", "EDUCATION", "LAND_REGISTRY"}
)


def _location(rng: random.Random, pools: _Pools, place: str | None) -> str:
    """Where the problem is: a category place, or the caller's address plus a spot."""
    if place:
        if pools.spots:
            spot = rng.choice(pools.spots)
            return place + spot if spot else rng.choice(_PLACE_FORMS).format(place)
        lead = rng.choice(pools.places)
        forms = [f for f in _RESIDENT_FORMS if f[:2] != lead[:2]]  # no "我是…，我是…"
        return rng.choice(forms).format(place) + lead
    return rng.choice(pools.places)


def _opener(rng: random.Random, kind: str, place: str | None) -> str:
    openers = _OPENERS[kind]
    if place:  # the text will say where the caller lives; do not say it twice
        openers = tuple(o for o in openers if "居民" not in o)
    return rng.choice(openers)


def _closing(rng: random.Random, text: str) -> str:
    closing = rng.choice(_CLOSINGS)
    if any(word in text and word in closing for word in ("答复", "回复", "谢谢", "麻烦")):
        return ""
    return closing


def _compose(rng: random.Random, kind: str, category: str, pools: _Pools, place: str | None) -> str:
    opener = _opener(rng, kind, place)

    if kind == "consultation":
        context = ""
        if place or rng.random() < 0.35:
            context = _location(rng, pools, place) + rng.choice(pools.problems) + "，"
        if context and rng.random() < 0.5:
            questions = [rng.choice(_GENERIC_QUESTIONS)]
        else:
            questions = rng.sample(pools.questions, 2 if rng.random() < 0.25 else 1)
        text = opener + context + questions[0] + "？"
        if len(questions) > 1:
            text += rng.choice(("另外", "还有就是", "顺便问一下，")) + questions[1] + "？"
        return text + rng.choice(_CONSULT_CLOSINGS)

    if kind == "praise":
        prefix = ""
        if place:
            prefix = rng.choice(_RESIDENT_FORMS).format(place)
        elif rng.random() < 0.4:
            prefix = rng.choice(("之前反映的问题解决了，", "上次打过你们热线，"))
        return f"{opener}{prefix}{rng.choice(pools.praise)}。{rng.choice(_PRAISE_TAILS)}"

    if kind == "suggestion":
        context = ""
        if place or rng.random() < 0.6:
            context = _location(rng, pools, place) + rng.choice(pools.problems) + "，"
        text = f"{opener}{context}{rng.choice(pools.suggestions)}。"
        return text + rng.choice(("", "供参考。", "希望采纳。"))

    # complaint, report, help: where + what [+ how long] [+ impact], then the ask
    clauses = [_location(rng, pools, place) + rng.choice(pools.problems)]
    if rng.random() < 0.6:
        clauses.append(rng.choice(_DURATIONS))
    if rng.random() < 0.7:
        clauses.append(rng.choice(pools.impacts))
    if len(clauses) == 3 and rng.random() < 0.3:
        clauses[1], clauses[2] = clauses[2], clauses[1]  # vary the order
    ask = rng.choice((*pools.asks, *_ASK_GENERIC[:1]))
    text = opener + "，".join(clauses) + "。" + ask + "。"
    if rng.random() < 0.12:  # a second, unrelated topic in the same call
        other = _POOLS[rng.choice([c for c in _POOLS if c != category])]
        text += "另外，" + rng.choice(other.places) + rng.choice(other.problems)
        text += "，也麻烦一起看看。"
    return text + _closing(rng, text)


def synthetic_person(rng: random.Random) -> tuple[str, str]:
    """A SYNTHETIC caller: (Chinese name, mobile number).

    Names are random surname + given-name combinations; numbers are random 11-digit
    numbers behind the 170/171 (virtual-operator) prefixes. Neither refers to a real
    person; do not dial the numbers.
    """
    surname = rng.choice(_SURNAMES)
    given = rng.choice(_GIVEN)
    if rng.random() < 0.7:
        given += rng.choice(_GIVEN)
    mobile = rng.choice(("170", "171")) + "".join(str(rng.randrange(10)) for _ in range(8))
    return surname + given, mobile


_SURNAMES = tuple(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜"
    "叶程苏魏吕丁任沈姚卢姜钟谭陆汪范金石廖贾夏付方邹熊秦邱江尹段雷侯龙陶黎贺易文"
)
_GIVEN = tuple(
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力国荣新春梅琳海峰"
    "志宏雪慧晓鹏飞燕宇浩俊婷丹亮波斌鑫淑云凤佳玲德林湘江"
)
