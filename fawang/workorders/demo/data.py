"""What the demo work orders are made of: the institutions they go to, the weights of where they
come from and how they are handled, and the requests, replies and comments. DEMO ONLY: the
stories are invented."""

from __future__ import annotations

from dataclasses import dataclass

from fawang.core.demo import CHAOYANG_CODE, HAIDIAN_CODE
from fawang.core.taxonomy import Topic
from fawang.workorders.models import BusinessLine, Channel, ReferralSource

DEMO_KEY_PREFIX = "demo-"
DEMO_REF_PREFIX = "DEMO-"
ORDER_COUNT = 300
FRESH_QUEUE_COUNT = 4
HISTORY_DAYS = 60

CITY_CENTRE = "北京市公共法律服务中心"
ARBITRATION_COMMISSION = "北京仲裁委员会"
CHAOYANG_CENTRE = "朝阳区公共法律服务中心"
HAIDIAN_CENTRE = "海淀区公共法律服务中心"

# Where the orders come from: most from the two districts with demo staff.
DISTRICT_WEIGHTS = (
    (CHAOYANG_CODE, 58), (HAIDIAN_CODE, 31), ("110101000000", 3), ("110102000000", 2),
    ("110106000000", 2), ("110112000000", 2), ("110114000000", 1), ("110115000000", 1),
)  # fmt: skip
# Chaoyang has the demo window clerk; the other districts' windows have no demo account.
CHAOYANG_CHANNELS = (
    (Channel.HOTLINE, 41), (Channel.WINDOW, 22), (Channel.CITIZEN_HOTLINE_12345, 17),
    (Channel.WEB, 5), (Channel.MINI_PROGRAM, 3), (Channel.REFERRAL, 7),
)  # fmt: skip
OTHER_CHANNELS = (
    (Channel.HOTLINE, 55), (Channel.CITIZEN_HOTLINE_12345, 24), (Channel.WEB, 6),
    (Channel.MINI_PROGRAM, 4), (Channel.REFERRAL, 6),
)  # fmt: skip
BUSINESS_LINE_WEIGHTS = (
    (BusinessLine.CONSULTATION, 76), (BusinessLine.LEGAL_AID, 6), (BusinessLine.MEDIATION, 6),
    (BusinessLine.NOTARIZATION, 3), (BusinessLine.APPRAISAL, 2), (BusinessLine.ARBITRATION, 1),
    (BusinessLine.COMPLAINT, 1), (BusinessLine.OTHER, 5),
)  # fmt: skip
# Courts and procuratorates refer legal-aid matters; police stations and petition offices refer
# disputes for mediation.
REFERRAL_SOURCES: dict[str, tuple[tuple[str, int], ...]] = {
    BusinessLine.LEGAL_AID: ((ReferralSource.COURT, 3), (ReferralSource.PROCURATORATE, 1)),
    BusinessLine.MEDIATION: ((ReferralSource.POLICE, 3), (ReferralSource.PETITION_OFFICE, 1)),
}
RATINGS = ((5, 62), (4, 26), (3, 6), (2, 4), (1, 2))

LATE_CLAIM_SHARE = 0.06
LATE_REPLY_SHARE = 0.06
STALLED_SHARE = 0.04  # claimed, then left unanswered past the reply deadline
RATED_SHARE = 0.65
FOLLOW_UP_SHARE = 0.12
COMPLAINT_SHARE_OF_LOW_RATINGS = 0.35
MAX_SUPERVISED = 4


@dataclass(frozen=True)
class Request:
    topic: str
    business_line: str
    title: str
    description: str


def _r(topic: str, line: str, title: str, description: str) -> Request:
    return Request(topic, line, title, description)


C, AID, MED = BusinessLine.CONSULTATION, BusinessLine.LEGAL_AID, BusinessLine.MEDIATION
NOT, APP, ARB = BusinessLine.NOTARIZATION, BusinessLine.APPRAISAL, BusinessLine.ARBITRATION
CPL, OTH = BusinessLine.COMPLAINT, BusinessLine.OTHER

REQUESTS: tuple[Request, ...] = (
    _r(Topic.MARRIAGE_FAMILY, C, "离婚时孩子抚养权归属", "我和丈夫准备离婚，孩子今年5岁，一直是我在带。对方说他收入比我高，要争抚养权，请问法院一般怎么判？"),
    _r(Topic.MARRIAGE_FAMILY, C, "父亲去世后老房子如何继承", "父亲去年去世，留下一套老房子，没有立遗嘱。母亲和我们兄妹三人想知道应该怎么分，过户需要办哪些手续？"),
    _r(Topic.MARRIAGE_FAMILY, MED, "婆媳矛盾请求调解", "儿媳和婆婆住在一起，长期因为带孩子和家务的事吵架，已经影响到夫妻感情，希望社区调解员帮忙调解。"),
    _r(Topic.MARRIAGE_FAMILY, AID, "老人追索赡养费申请法律援助", "我今年78岁，老伴去世了，两个儿子都不给赡养费，我没有退休金，想申请法律援助起诉他们。"),
    _r(Topic.LABOUR, C, "公司拖欠三个月工资", "我在一家装修公司上班，公司已经拖欠三个月工资，一共2万1千元，老板一直说资金周转困难，我该怎么维权？"),
    _r(Topic.LABOUR, C, "试用期被辞退有没有补偿", "入职两个月还在试用期，公司突然说我不符合录用条件把我辞退了，之前从没说过具体条件，我能要求补偿吗？"),
    _r(Topic.LABOUR, C, "外卖骑手送餐途中摔伤", "我是外卖骑手，送餐途中摔伤了腿，站点说我不是他们的员工，不给认定工伤，我该怎么办？"),
    _r(Topic.LABOUR, AID, "农民工讨薪申请法律援助", "我们十几个工友在工地干了半年，包工头跑了，总包单位不认账，一共欠薪约40万元，想申请法律援助。"),
    _r(Topic.LABOUR, MED, "网约车平台封号扣保证金", "我在平台开网约车，平台单方面封了我的账号，还扣了3000元保证金，申诉没人理，希望帮忙调解。"),
    _r(Topic.TRAFFIC_ACCIDENT, C, "事故对方全责拖着不赔", "上个月骑电动车被小轿车撞了，交警认定对方全责，现在对方和保险公司都拖着不赔，住院花了3万多元。"),
    _r(Topic.TRAFFIC_ACCIDENT, AID, "交通事故致残申请法律援助", "我父亲被货车撞伤，已经评定为九级伤残，肇事司机说没钱赔，家里经济困难，想申请法律援助打官司。"),
    _r(Topic.DEBT, C, "借钱不还只有微信转账记录", "朋友两年前借了我5万元，没写借条，只有微信转账记录和聊天记录，现在他不还钱，我能起诉吗？"),
    _r(Topic.DEBT, C, "民间借贷约定利息过高", "向个人借了10万元，约定月息3分，现在对方要求连本带息一起还，这么高的利息受法律保护吗？"),
    _r(Topic.CRIMINAL_DEFENCE, AID, "家属被刑事拘留请不起律师", "我儿子因为打架被刑事拘留了，家里是低保户，请不起律师，能不能申请法律援助律师？"),
    _r(Topic.CRIMINAL_DEFENCE, C, "家属被刑拘后如何取保候审", "丈夫涉嫌帮助信息网络犯罪活动罪被刑事拘留，家属能不能见他？取保候审应该怎么申请？"),
    _r(Topic.CONTRACT, C, "装修公司逾期完工", "和装修公司签了合同，约定60天完工，现在已经超期一个多月还没完，质量也有问题，能解除合同要求赔偿吗？"),
    _r(Topic.CONTRACT, C, "租房到期押金不退", "租的房子到期搬走了，房东以墙面有污渍为由扣了全部押金6000元，这样合理吗？"),
    _r(Topic.CONTRACT, ARB, "买卖合同纠纷申请仲裁", "我公司与供货商的合同约定由北京仲裁委员会仲裁，对方交付的货物不合格又拒绝退款，想了解仲裁立案需要哪些材料、费用多少。"),
    _r(Topic.PROPERTY, C, "二手房买卖卖方反悔", "买二手房已经交了20万元定金，卖方因为房价上涨要反悔，说愿意双倍返还定金，我能要求继续履行合同吗？"),
    _r(Topic.PROPERTY, MED, "楼上漏水邻里纠纷", "楼上住户卫生间漏水，把我家天花板和墙面泡坏了，多次沟通对方都不理，希望调解处理。"),
    _r(Topic.PROPERTY, C, "物业不作为业主拒交物业费", "小区电梯经常坏，物业一直不修，很多业主拒交物业费，现在物业说要起诉，我们该怎么办？"),
    _r(Topic.PROPERTY, NOT, "办理房屋买卖委托公证", "我常年在外地工作，想委托哥哥帮我办理房屋出售手续，需要办委托公证，要带哪些材料？"),
    _r(Topic.TORT, C, "在小区被狗咬伤", "在小区里被邻居家没拴绳的狗咬伤，打了狂犬疫苗，对方只愿意赔500元，我可以要求赔偿多少？"),
    _r(Topic.TORT, MED, "高空坠物砸坏车辆", "停在楼下的车被楼上掉下的花盆砸坏了，找不到是哪一户，物业互相推脱，希望协调处理。"),
    _r(Topic.COMPANY, C, "小股东想退出公司", "我是一家小公司的股东，占股20%，和大股东经营理念不合想退股，对方不同意，有什么办法？"),
    _r(Topic.COMPANY, C, "公司注销后欠款找谁要", "朋友开的公司已经注销了，但还欠我货款8万元，能不能找原来的股东要？"),
    _r(Topic.MEDICAL, C, "手术后感染怀疑医院有过错", "母亲在医院做了膝关节置换手术后感染，又做了两次手术，怀疑医院有过错，我们该怎么维权？"),
    _r(Topic.MEDICAL, APP, "医疗过错鉴定如何申请", "和医院协商不成，法院让做医疗过错鉴定，想了解鉴定机构怎么选、费用和时间大概多少。"),
    _r(Topic.DEMOLITION, C, "棚改补偿标准有异议", "我家平房被列入棚户区改造范围，补偿标准是怎么定的？对评估价格不满意可以申请复核吗？"),
    _r(Topic.DEMOLITION, C, "宅基地加盖房屋被认定违建", "村里说我家宅基地上加盖的两间房是违建，要拆除还不给补偿，可这房子已经盖了十多年了。"),
    _r(Topic.ADMINISTRATIVE, C, "不服市场监管部门罚款", "我的小餐馆被市场监管部门罚款2万元，我觉得处罚过重，是申请行政复议还是直接起诉？期限是多久？"),
    _r(Topic.ADMINISTRATIVE, C, "不予认定工伤决定不服", "社保部门对我作出不予认定工伤的决定，我不服，可以通过什么途径解决？"),
    _r(Topic.CONSTRUCTION, C, "水电分包工程款被拖欠", "我做水电分包，工程完工一年了，总包还欠工程款15万元，没签书面合同，只有微信聊天记录和结算单。"),
    _r(Topic.CONSTRUCTION, APP, "新房墙体开裂申请质量鉴定", "新房交付后墙体多处开裂，开发商说是正常沉降，我想做房屋质量鉴定，应该去哪里申请？"),
    _r(Topic.INTELLECTUAL_PROPERTY, C, "网店商品图片被盗用", "我拍的商品图片被别的网店盗用，还卖同款，怎么证明是我的原创？能要求赔偿吗？"),
    _r(Topic.INTELLECTUAL_PROPERTY, C, "老店名被他人抢注商标", "我们小店用了八年的店名被别人注册成商标，现在对方要求我们改名，该怎么办？"),
    _r(Topic.GENERAL, C, "法律援助申请条件和材料", "想了解申请法律援助需要什么条件、带哪些材料、到哪里办理。"),
    _r(Topic.GENERAL, OTH, "查询律师执业信息", "想查一下一位律师有没有执业证，他所在的律师事务所是否正规，应该怎么查？"),
    _r(Topic.GENERAL, OTH, "调解协议如何申请司法确认", "社区调解员帮我们达成了调解协议，听说可以申请司法确认，应该去哪里办？"),
    _r(Topic.GENERAL, OTH, "报名当人民调解员", "我退休前是中学教师，想做社区人民调解员，需要什么条件，向哪里报名？"),
    _r(Topic.GENERAL, CPL, "投诉律师事务所收费不规范", "律师事务所收了我3万元代理费，没有开正式发票，也没有写明收费项目，我要投诉。"),
    _r(Topic.GENERAL, CPL, "投诉援助律师开庭前未联系", "给我指派的律师开庭前一直没联系我，开庭时也没做准备，希望有关部门核查处理。"),
    _r(Topic.PERSONAL_INJURY, C, "工地摔伤包工头不管", "在工地干活时从脚手架上摔下来，腰椎骨折，包工头付了一部分医药费后就不管了。"),
    _r(Topic.PERSONAL_INJURY, APP, "交通事故伤残等级鉴定", "交通事故受伤出院半年了，保险公司要求做伤残等级鉴定，去哪里做，需要准备什么材料？"),
    _r(Topic.FOREIGN_RELATED, NOT, "出国留学学历学位公证", "孩子要去英国读研究生，需要办理学历、学位证书公证和翻译，多长时间能办好？"),
    _r(Topic.FOREIGN_RELATED, C, "与外籍配偶离婚如何起诉", "我和外籍丈夫在北京登记结婚，现在他回国不回来了，我想在国内起诉离婚，文书怎么送达？"),
    _r(Topic.MARITIME, C, "进口设备海运途中受损", "我们从国外进口的一批设备在海运途中受损，船公司不承认责任，货代让找保险公司，该怎么处理？"),
    _r(Topic.MARITIME, C, "远洋渔船船员工资被拖欠", "我在远洋渔船上工作了一年，船东还欠我8个月工资，回国后就联系不上他了。"),
    _r(Topic.CONSUMER, C, "健身房关门预付卡无法退费", "在健身房办了5000元的年卡，才去了几次健身房就关门了，老板联系不上，钱怎么退？"),
    _r(Topic.CONSUMER, C, "网购买到假冒名牌包", "在网上买的名牌包经鉴定是假货，商家不认，平台只同意退货退款，我能要求三倍赔偿吗？"),
    _r(Topic.SECURITY_INTEREST, C, "为朋友贷款担保被起诉", "几年前给朋友的贷款做了担保，现在朋友不还钱，银行把我也起诉了，我要承担全部责任吗？"),
    _r(Topic.SECURITY_INTEREST, C, "抵押中的房屋能否出售", "房子还抵押在银行，现在想卖掉，能不能过户？是不是必须先还清贷款？"),
)  # fmt: skip

TOPIC_REPLIES: dict[str, str] = {
    Topic.MARRIAGE_FAMILY: "您好，子女抚养问题法院以最有利于未成年子女为原则，综合考虑双方抚养条件和子女意愿；遗产无遗嘱的按法定继承办理，可先到公证处办理继承公证。如需进一步帮助，可携带身份证件到公共法律服务中心窗口咨询。",
    Topic.LABOUR: "您好，用人单位拖欠工资或违法解除劳动合同的，您可以向劳动保障监察部门投诉，或向劳动人事争议仲裁委员会申请仲裁（时效一年）。请保存好劳动合同、工资流水、考勤和聊天记录等证据。",
    Topic.TRAFFIC_ACCIDENT: "您好，交警已作出责任认定的，您可与对方及其保险公司协商赔偿，也可申请交通事故纠纷人民调解或直接向人民法院起诉。请保留医疗票据、病历、误工证明等材料，诉讼时效为三年。",
    Topic.DEBT: "您好，转账记录配合聊天记录能够证明借贷关系的，可以向被告住所地人民法院起诉；民间借贷利率超过合同成立时一年期贷款市场报价利率四倍的部分不受保护。建议先发送书面催告，保存好证据。",
    Topic.CRIMINAL_DEFENCE: "您好，侦查阶段家属可以委托律师会见，经济困难的可以向法律援助机构申请指派律师；取保候审可由本人、近亲属或委托的律师向办案机关提出申请。",
    Topic.CONTRACT: "您好，对方逾期履行或履行不符合约定的，您可以催告后解除合同并主张违约责任；押金扣除应以实际损失为限。建议保留合同、付款凭证和沟通记录，协商不成可申请调解或起诉。",
    Topic.PROPERTY: "您好，卖方违约时您可以选择要求继续履行合同或适用定金罚则；物业服务不到位的，业主可以依据物业服务合同主张违约责任，但不宜以此为由直接拒交物业费。建议先与对方书面沟通并保存证据。",
    Topic.TORT: "您好，饲养的动物造成他人损害的，动物饲养人或者管理人应当承担侵权责任，您可以主张医疗费、交通费、误工费等损失。请保留就诊记录和现场证据，协商不成可申请调解或起诉。",
    Topic.COMPANY: "您好，有限责任公司股东退出可以通过转让股权、请求公司回购（符合法定情形时）等方式实现；公司未经清算即注销的，债权人可以要求股东承担相应责任。建议携带公司章程等材料进一步咨询律师。",
    Topic.MEDICAL: "您好，医疗纠纷可以通过与医院协商、申请医疗纠纷人民调解或向法院起诉解决，必要时可申请医疗损害鉴定。请尽快封存并复印病历资料。",
    Topic.DEMOLITION: "您好，征收补偿以评估为基础，对评估结果有异议的，可以自收到评估报告之日起10日内申请复核评估；对征收决定或补偿决定不服的，可以依法申请行政复议或提起行政诉讼。",
    Topic.ADMINISTRATIVE: "您好，对行政处罚不服的，可以自知道之日起60日内申请行政复议，也可以自知道之日起6个月内直接向人民法院提起行政诉讼。请保存好处罚决定书等材料。",
    Topic.CONSTRUCTION: "您好，未签书面合同不影响您主张工程款，结算单和聊天记录可以作为证据；您可以向总包单位主张，并可依法要求发包人在欠付范围内承担责任。诉讼时效为三年。",
    Topic.INTELLECTUAL_PROPERTY: "您好，原始照片文件、拍摄设备信息和首次发布记录可以证明您的著作权；商标被抢注的，在先使用并有一定影响的可以依法在原有范围内继续使用，也可以申请宣告无效。建议及时固定证据。",
    Topic.GENERAL: "您好，您咨询的事项可以到就近的公共法律服务中心（站）窗口办理，也可以拨打12348法律服务热线或登录北京法网查询。经济困难的群众可以申请法律援助。",
    Topic.PERSONAL_INJURY: "您好，提供劳务受到损害的，接受劳务一方应当根据过错承担相应责任；如构成工伤，可申请工伤认定。请保留病历、票据和工作证明，协商不成可申请调解或起诉。",
    Topic.FOREIGN_RELATED: "您好，涉外离婚可以向婚姻登记地人民法院起诉，对方在境外的，可以通过司法协助、外交途径或公告等方式送达，周期较长，请提前准备。",
    Topic.MARITIME: "您好，海上货物运输和船员劳务纠纷由海事法院专门管辖，北京地区可向天津海事法院起诉。请保存提单、货损检验报告或劳务合同、工资记录等证据。",
    Topic.CONSUMER: "您好，经营者关门无法履约的，您可以要求退还剩余预付款，并可向市场监管部门投诉；经营者有欺诈行为的，消费者可以要求增加赔偿购买价款的三倍。请保留购买凭证和聊天记录。",
    Topic.SECURITY_INTEREST: "您好，保证人的责任取决于保证合同约定的是一般保证还是连带责任保证；抵押期间抵押人可以转让抵押财产，但应当及时通知抵押权人，通常需先还清贷款解除抵押后办理过户。",
}
LINE_REPLIES: dict[str, str] = {
    BusinessLine.LEGAL_AID: "您好，经审查，您的申请符合法律援助条件，我中心已受理并将指派律师承办，承办律师会在3个工作日内与您联系，请保持电话畅通。",
    BusinessLine.MEDIATION: "您好，调解员已与双方当事人取得联系，并组织了现场调解，双方已达成调解协议。如对方不履行，可以申请司法确认。",
    BusinessLine.NOTARIZATION: "您好，您需携带本人身份证、户口簿及相关证明材料原件到公证处办理，可通过线上预约，材料齐全的一般5个工作日内出证。",
    BusinessLine.APPRAISAL: "您好，司法鉴定可由人民法院委托，也可以当事人协商选定名册内的鉴定机构。已为您提供本区鉴定机构名单及收费标准，请按要求准备病历、影像资料等检材。",
    BusinessLine.ARBITRATION: "您好，申请仲裁需提交仲裁申请书、仲裁协议、证据材料和身份证明，具体收费标准请以北京仲裁委员会公布的为准。",
    BusinessLine.COMPLAINT: "您好，您反映的问题已转区司法局核查，核查结果将在规定时限内答复您。",
    BusinessLine.OTHER: "您好，您咨询的事项已为您查询并答复：可登录北京法网或到公共法律服务中心窗口办理，工作时间为周一至周五9:00-17:00。",
}
RATING_COMMENTS: dict[int, tuple[str, ...]] = {
    5: ("解答很耐心，非常感谢！", "回复及时，讲得很清楚。", "", "", "工作人员态度很好。"),
    4: ("基本解决了我的问题。", "", "回复有点慢，但很专业。"),
    3: ("答复比较笼统。", ""),
    2: ("等了很久才有人联系。", "没有解决实际问题。"),
    1: ("答复内容照搬条文，没有帮助。", "一直没人联系我。"),
}
FOLLOW_UP_NOTES = (
    "电话回访，群众表示问题已解决。",
    "电话回访，群众对答复满意，已按建议申请调解。",
    "回访未接通，已发送短信。",
    "电话回访，群众表示还需进一步咨询律师，已告知预约方式。",
)
SUPERVISION_NOTE = "该工单已超过答复时限，请于新的时限前答复群众并报区司法局。"
COMPLAINT_TEXT = "对答复不满意：{comment}希望有关部门重新核查。"
