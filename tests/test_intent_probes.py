"""What a mail wants, in words the keyword tables were not written from.

Each case was written, with the intent a clerk would read, before the parser ran on it: the
changes, after-sales mails and questions that earlier blind batches showed are the ones taken
for something else (a change read as a new order or as nothing, a return read as a change, a
customer's question about a parcel read as the carrier's notice).
Round one: 16 of 18 read right at first; round two: 13 of 16; round three: 13 of 16; round
four: 7 of 8; round five: 7 of 8; round six: 8 of 12 (a swap of one item for another, a PO
"promised for" a day with nothing seen, a short delivery counted in cartons, 从50台减到30台),
then the same classes in other words 6 of 6.
"""

from __future__ import annotations

import pytest

from mailroom.parsers import parse_mail
from mailroom.parsers.catalog import Catalog
from tests.golden import fixture_catalog
from tests.support import mail

ACME = "john.miller@acme-industrial.com"
NORDTEK = "einkauf@nordtek.de"
BRIGHTON = "sarah.jones@brightonlighting.co.uk"
SOUTHERN = "buying@southerncross-elec.com.au"
MAPLE = "pierre.gagnon@maplecontrols.ca"
JINLONG = "purchase@jinlong-auto.com.cn"
HUAXIN = "caigou@huaxin-elec.cn"

CASES = [
    # Changes to an order already placed.
    (
        "order_change",
        ACME,
        "Re: Order confirmation SO-2026-00311",
        "Hi team,\n\nCould we bump the 6204 bearings on this one from 2,000 to 2,400? Everything "
        "else stays as confirmed.\n\nThanks,\nJohn",
    ),
    (
        "order_change",
        NORDTEK,
        "PO 4500127730 - Liefertermin",
        "Hello,\n\nour production plan moved. Please hold the shipment of PO 4500127730 and "
        "deliver in week 6 instead of week 3. Quantities unchanged.\n\nMit freundlichen Grüßen\n"
        "Einkauf",
    ),
    (
        "order_change",
        BRIGHTON,
        "SO-2026-00288",
        "Sarah here - please drop the rocker switches from this order altogether, we sourced "
        "them locally. Keep the LED chips.\n\nSarah",
    ),
    (
        "order_change",
        SOUTHERN,
        "Re: PO SCE-7712",
        "G'day, we need to cancel PO SCE-7712 in full, the project was shelved. Sorry for the "
        "trouble.\n\nMick",
    ),
    (
        "order_change",
        JINLONG,
        "订单SO-2026-00305 数量调整",
        "您好，\n\n订单SO-2026-00305中的PT100传感器请改为600只，原来是400只。交期不变。\n\n谢谢\n陈静",
    ),
    (
        "order_change",
        HUAXIN,
        "回复: 采购单 HX-PO-26118",
        "王经理好，\n\n这张单子的继电器先不要发了，取消掉。其他的照常。\n\n华信 采购部",
    ),
    # After-sales: goods already with the customer.
    (
        "after_sales",
        ACME,
        "Wrong connectors in shipment for SO-2026-00270",
        "Hello,\n\nthe carton for SO-2026-00270 came in yesterday but it holds 4-pin male M12 "
        "connectors, we ordered the 5-pin female ones. How do we send these back and get the "
        "right parts?\n\nJohn",
    ),
    (
        "after_sales",
        NORDTEK,
        "Reklamation: pressure transmitters",
        "Hello,\n\n12 of the 50 pressure transmitters from the last delivery read 0.8 bar high "
        "at zero. We would like to return them for replacement. Please issue an RMA number.\n\n"
        "Regards, QA Nordtek",
    ),
    (
        "after_sales",
        JINLONG,
        "关于上批继电器的问题",
        "您好，上周到的那批5V继电器，装机后有十几个触点粘连，麻烦安排补发或者退货，"
        "并请出一份分析报告。\n\n金龙 品质部",
    ),
    (
        "after_sales",
        SOUTHERN,
        "Question on the DIN rail PSUs",
        "Hi, we have the 24V 5A DIN rail supplies from our March order installed. Is it OK to "
        "mount them horizontally, or do they need to be vertical for cooling?\n\nMick",
    ),
    # Questions about where an order is.
    (
        "status_inquiry",
        BRIGHTON,
        "Where is our order?",
        "Hi, PO BL-24-1213 was due last Friday and nothing has arrived. Can you tell me when "
        "it left and send the tracking?\n\nSarah",
    ),
    (
        "status_inquiry",
        HUAXIN,
        "SO-2026-00299 发货了吗",
        "您好，请问这个订单发出了没有？如果已发请给一下快递单号，谢谢。",
    ),
    (
        "status_inquiry",
        ACME,
        "FW: UPS Update: Delivery Exception",
        "Hi, we got the notice below from UPS for our parcel 1Z999AA10123456784. Can you check "
        "with them what is going on? We need these parts this week.\n\nJohn\n\n"
        "---------- Forwarded message ---------\nFrom: UPS <mcinfo@ups.com>\n"
        "Subject: UPS Update: Delivery Exception\n\nA delivery exception occurred. The receiver "
        "was not available for delivery.",
    ),
    # Accepting a quote we sent.
    (
        "quote_acceptance",
        NORDTEK,
        "Re: Quotation Q-2026-00402",
        "Hello,\n\nwe agree with the prices and lead time in your quotation. Please go ahead; "
        "our official PO will follow tomorrow.\n\nEinkauf Nordtek",
    ),
    (
        "quote_acceptance",
        JINLONG,
        "回复: 报价单 Q-2026-00415",
        "您好，报价我们确认了，可以按这个价格安排生产，正式订单稍后发过来。",
    ),
    # New orders, short ones included.
    (
        "order",
        HUAXIN,
        "下单",
        "王经理，麻烦安排：5V继电器 3000个，2A保险丝 10000个，月底前送到。谢谢",
    ),
    (
        "order",
        SOUTHERN,
        "PO SCE-7790",
        "Please supply:\n  PS-2405  x 40\n  RL-24V2C x 200\nDeliver to our Fairfield store "
        "by 15 February 2027. Usual terms.\n\nMick",
    ),
    # A question before buying.
    (
        "quote_request",
        BRIGHTON,
        "Price for 2835 chips",
        "Hi, what would 500K of the 2835 warm white chips cost, and what is your lead time at "
        "that volume?\n\nSarah",
    ),
    # Round two, written after round one had been fixed (13 of 16 read right at first).
    (
        "shipment_notice",
        "noreply@dhl.com",
        "DHL On Demand Delivery: shipment 1234567890 is on its way",
        "Your shipment 1234567890 from KAIYUAN PARTS is scheduled for delivery on Thursday, "
        "10 December. Delivery window 09:00 - 13:00. Manage your delivery at dhl.com.",
    ),
    (
        "shipment_notice",
        "tracking@sf-express.com",
        "顺丰速运：您的快件已签收",
        "您的快件SF1402835617293已于2026-12-08 10:32由本人签收，感谢使用顺丰速运。",
    ),
    (
        "feedback",
        ACME,
        "Thanks for the quick turnaround",
        "Hi all, just wanted to say the last two deliveries arrived early and perfectly "
        "packed. Our line supervisor was impressed. Keep it up!\n\nJohn",
    ),
    (
        "feedback",
        JINLONG,
        "服务评价",
        "你们这次的交货很及时，包装也很好，客服响应快，给你们打5分。希望以后继续保持。",
    ),
    (
        "after_sales",
        BRIGHTON,
        "Short delivery on PO BL-24-1201",
        "Hi, we counted the boxes this morning: the delivery note says 40 rolls of LED strip "
        "but only 36 were in the pallet. Please send the missing 4.\n\nSarah",
    ),
    (
        "status_inquiry",
        JINLONG,
        "PO JL-2611-07",
        "您好，请问我们这个采购单现在生产到哪一步了？大概什么时候能出货？",
    ),
    (
        "status_inquiry",
        NORDTEK,
        "Lieferstatus SO-2026-00330",
        "Hello, can you confirm the ship date for SO-2026-00330? Our warehouse needs to book "
        "a slot.\n\nRegards, Einkauf",
    ),
    (
        "quote_request",
        HUAXIN,
        "询价",
        "王经理你好，M12五芯母头和RJ45屏蔽插座各要一万个左右，麻烦报个含税价和交期。",
    ),
    (
        "quote_request",
        SOUTHERN,
        "Pricing for 2027",
        "Hi, could you send updated pricing for next year on the glass fuses and ATO blade "
        "fuses, at around 50k each per quarter?\n\nMick",
    ),
    (
        "order",
        NORDTEK,
        "Bestellung 4500128001",
        "Hello,\n\nplease deliver according to our order 4500128001:\n\n"
        "Pos 10  SN-PS10  Pressure Transmitter 0-10 bar   60 pcs   EUR 38,50\n"
        "Pos 20  SN-PT100 Temperature Sensor PT100        150 pcs  EUR 6,20\n\n"
        "Delivery date: 2027-01-29\n\nMit freundlichen Grüßen\nEinkauf",
    ),
    (
        "order",
        JINLONG,
        "订货",
        "您好，再订一批：\n1. 24V双刀继电器 500个\n2. 6205轴承 1000个\n"
        "价格按上次的，1月15号前到货。",
    ),
    (
        "order_change",
        ACME,
        "Re: PO 4500123999",
        "Hi, one correction to the PO we sent Monday: the ship-to should be our Reno "
        "warehouse, 55 Logistics Way, Reno NV 89502, not Long Beach.\n\nJohn",
    ),
    (
        "order_change",
        SOUTHERN,
        "Re: Order confirmation SO-2026-00342",
        "Hi, can we split this one: half now, and the other half at the end of January? "
        "Same quantities overall.\n\nMick",
    ),
    (
        "quote_acceptance",
        BRIGHTON,
        "Re: Your quote Q-2026-00420",
        "Hi, that works for us. Please book it in and send me the pro forma so we can pay."
        "\n\nSarah",
    ),
    (
        "other",
        "news@electronics-weekly.example",
        "This week in components: the LED market in 2027",
        "Read our analysis of LED chip pricing for 2027, plus five new DIN rail power "
        "supplies reviewed. Unsubscribe at any time.",
    ),
    (
        "other",
        "billing@freightpay.example",
        "Invoice 88120 for freight services",
        "Please find our invoice 88120 for freight services in November attached. Payment due "
        "within 30 days.",
    ),
    # Round three, written after round two had been fixed (13 of 16 read right at first).
    (
        "after_sales",
        JINLONG,
        "回复: 订单SO-2026-00318",
        "您好，这单的轴承到了，但是有三箱外包装压坏了，里面的轴承有锈迹，"
        "我们不能收，请安排换货。照片见附件。",
    ),
    (
        "after_sales",
        "mr.lin@taida-precision.com.tw",
        "關於12月到貨的風扇",
        "您好，12月初收到的散熱風扇，裝上去以後有明顯的異音，我們想退回其中200台，請告知退貨流程。",
    ),
    (
        "order_change",
        "mr.lin@taida-precision.com.tw",
        "回覆: 訂單 SO-2026-00322",
        "您好，這張訂單的交期可否延後兩週？我們倉庫暫時放不下。數量不變。",
    ),
    (
        "auto_reply",
        "mr.lin@taida-precision.com.tw",
        "自動回覆: 訂單 SO-2026-00322",
        "您好，本人12/8至12/15休假，期間不便收信，急事請聯絡業務助理 陳小姐 分機 205。",
    ),
    (
        "auto_reply",
        SOUTHERN,
        "Re: Order confirmation SO-2026-00342",
        "Thanks for your email. I'm travelling until Monday 14 December and will reply "
        "when I'm back. For anything urgent please call the office on 02 9725 1100.",
    ),
    (
        "status_inquiry",
        BRIGHTON,
        "Fwd: Your parcel is delayed",
        "Hi, FedEx says our parcel is delayed in Memphis. Is this our LED strip order? "
        "Do you know when it will actually get here?\n\nSarah\n\n"
        "-------- Forwarded Message --------\nFrom: FedEx <TrackingUpdates@fedex.com>\n"
        "Subject: Your parcel is delayed\n\nTracking 7745 1234 5678. Delivery is delayed "
        "due to weather.",
    ),
    (
        "shipment_notice",
        "notifications@kuehne-nagel.com",
        "Shipment KN-8812345 arrived at destination port",
        "Dear customer, your shipment KN-8812345 (B/L MAEU123456789) has arrived at "
        "Hamburg. Customs clearance is in progress. This is an automated notification.",
    ),
    (
        "quote_acceptance",
        ACME,
        "RE: Quote Q-2026-00431 for M12 connectors",
        "Approved on our side. Please reserve the stock; the PO number will be 4500124410 "
        "and purchasing will send it later today.\n\nJohn",
    ),
    (
        "quote_acceptance",
        HUAXIN,
        "回复: Q-2026-00433",
        "王经理，这个价格可以接受，就按报价单执行吧。合同我们盖章后回传。",
    ),
    (
        "quote_request",
        JINLONG,
        "咨询 PT100 传感器",
        "你好，我们明年有个项目大概要用3000只PT100，50mm探头，请问有没有现货，价格多少？",
    ),
    (
        "quote_request",
        NORDTEK,
        "RFQ 2027-014",
        "Hello,\n\nplease quote your best price and lead time for:\n"
        "- inductive proximity sensor M18 NPN, 2,000 pcs\n"
        "- M12 5-pin female connector, 4,000 pcs\n\nValid offer until 31.01.2027 please."
        "\n\nEinkauf",
    ),
    (
        "order",
        BRIGHTON,
        "Order",
        "Hi, can you send us 100 rolls of the 24V neutral white strip and 20 of the 12V 10A "
        "supplies please. PO BL-24-1240. Same address as always.\n\nSarah",
    ),
    (
        "order",
        ACME,
        "PO 4500124500",
        "Hello, please ship the following against PO 4500124500:\n\n"
        "BR-6204  5,000 pcs  USD 0.92\nBR-6205  3,000 pcs  USD 1.05\n\n"
        "Required on dock 2027-02-01.\n\nJohn Miller, Purchasing",
    ),
    (
        "feedback",
        NORDTEK,
        "Supplier evaluation 2026",
        "Hello, our annual supplier evaluation rates Kaiyuan 'A' for quality and 'B' for "
        "delivery. We would welcome shorter lead times on sensors next year.\n\nEinkauf",
    ),
    (
        "other",
        "payments@hsbc.com.hk",
        "Payment advice",
        "We advise that a payment of USD 12,480.00 has been made to your account by ACME "
        "INDUSTRIAL SUPPLY INC, reference INV-2026-0912.",
    ),
    (
        "other",
        "sales@competitor-parts.example",
        "Partnership proposal",
        "Dear purchasing manager, we are a leading manufacturer of relays and fuses and "
        "would like to become your supplier. Please find our catalogue attached.",
    ),
    # Round four, written after round three had been fixed (7 of 8 read right at first).
    (
        "status_inquiry",
        ACME,
        "Open items on PO 4500124100",
        "Hi, of the three lines on PO 4500124100 we received the bearings only. What is the "
        "ship date for the remaining lines?\n\n  CN-M12A5  2,000 pcs\n  CN-RJ45S   1,500 pcs"
        "\n\nThanks, John",
    ),
    (
        "order",
        HUAXIN,
        "采购订单 HX-PO-26130",
        "王经理好，附上我司采购订单明细如下，请确认交期：\n"
        "物料编码 RL-5V1C 继电器 数量 8000 单价 2.35\n物料编码 FU-ATO15 保险丝 数量 20000 单价 0.28"
        "\n请于2027年1月20日前送达。",
    ),
    (
        "quote_request",
        "procurement@newco-automation.example",
        "Enquiry - sensors",
        "Dear Sir/Madam,\n\nWe are a new automation integrator in Penang. Could you offer "
        "M18 inductive sensors NPN, qty 500, and PT100 probes, qty 200? Please include "
        "freight to Malaysia.\n\nBest regards,\nAhmad",
    ),
    (
        "order_change",
        NORDTEK,
        "AW: Auftragsbestätigung SO-2026-00351",
        "Hello,\n\nplease deliver 150 pcs of SN-PT100 instead of 100 pcs. The remaining "
        "positions stay unchanged.\n\nMit freundlichen Grüßen\nEinkauf",
    ),
    (
        "after_sales",
        BRIGHTON,
        "LED strip colour",
        "Hi, the strips we got last week look much cooler than the neutral white we had "
        "before, almost blue. Can you check the bin code of that batch? We may need to "
        "swap them.\n\nSarah",
    ),
    (
        "shipment_notice",
        "no-reply@cainiao.com",
        "菜鸟裹裹：您的包裹已到达派送站",
        "您的包裹 YT7712345678901 已到达【深圳宝安派送站】，快递员将尽快为您派送。",
    ),
    (
        "quote_acceptance",
        SOUTHERN,
        "Re: Quotation Q-2026-00440",
        "Hi, we'll take it at those prices. Lead time of 4 weeks is fine. PO to come from "
        "our accounts team.\n\nMick",
    ),
    (
        "feedback",
        HUAXIN,
        "回复: 满意度调查",
        "你好，问卷已填写。总体来说比较满意，就是希望发票能开得快一点。",
    ),
    # Round five, written after round four had been fixed (7 of 8 read right at first).
    (
        "quote_request",
        HUAXIN,
        "Inquiry for relays",
        "Dear Wang,\nPls kindly quote us the 24V DPDT relay, 5000pcs, also tell the MOQ and "
        "delivery time. Thanks!\nZhang Min",
    ),
    (
        "order",
        "zhang.min@huaxin-elec.cn",
        "PO HX-PO-26141",
        "Dear Wang,\nPls arrange below goods asap:\nRL-24V2C 5000pcs @2.10 CNY\n"
        "Delivery: before 2027-01-08\nThanks!\nZhang Min",
    ),
    (
        "order_change",
        "zhang.min@huaxin-elec.cn",
        "RE: PO HX-PO-26141",
        "Dear Wang,\nSorry, pls change qty of RL-24V2C to 6000pcs, other no change.\nZhang Min",
    ),
    (
        "status_inquiry",
        "zhang.min@huaxin-elec.cn",
        "RE: PO HX-PO-26141",
        "Dear Wang, any update for this PO? Our production is waiting. Pls advise the "
        "shipping date.\nZhang Min",
    ),
    (
        "after_sales",
        MAPLE,
        "Return request",
        "Hello, we would like to send back 30 of the M12 connectors from last month's "
        "shipment; the threads are out of spec and the nuts won't seat. Please advise how "
        "to proceed.\n\nPierre",
    ),
    (
        "quote_acceptance",
        MAPLE,
        "Re: Q-2026-00450",
        "Bonjour, the quote is accepted as is. Please proceed with production.\n\nPierre",
    ),
    (
        "other",
        "noreply@linkedin.com",
        "You appeared in 12 searches this week",
        "See who's looking at your profile. Unsubscribe from these emails.",
    ),
    (
        "order",
        MAPLE,
        "New PO 7781",
        "Hello,\n\nPlease find our PO 7781 below.\n\n60 x NEMA 17 stepper MT-42S40\n"
        "25 x PS-2405 DIN rail PSU\n\nShip by Jan 22, 2027.\n\nPierre",
    ),
    # Cases of the classes holdout-h's first score missed, in other words (not blind).
    (
        "auto_reply",
        "mr.lin@taida-precision.com.tw",
        "休假通知",
        "您好，本人12/20至12/27休年假，期間回覆較慢，急件請聯絡分機 205 王小姐。",
    ),
    (
        "other",
        HUAXIN,
        "12月对账单",
        "开元零件财务：附件为我司12月份对账单，请核对后盖章回传，谢谢。",
    ),
    (
        "after_sales",
        "li.wei@163.com",
        "继电器怎么接",
        "你好，我上个月买了你们的24V继电器，线圈接上以后不吸合，是不是我接线用错了？有使用说明吗？",
    ),
    # Round six.
    (
        "order_change",
        ACME,
        "RE: SO-2026-00415 confirmed",
        "Hi,\n\nOn this one please swap the HX-2050 bolts for the HX-2040 (M8x40), same "
        "quantity. Our engineer changed the drawing.\n\nJohn",
    ),
    (
        "quote_acceptance",
        BRIGHTON,
        "RE: Quotation Q-2026-00502",
        "OK, go ahead on that basis.\n\nSarah",
    ),
    (
        "status_inquiry",
        NORDTEK,
        "4500128810",
        "Hello,\n\nour PO 4500128810 was promised for 11 December. We have seen nothing so far, "
        "could you let us know where it stands?\n\nEinkauf",
    ),
    (
        "after_sales",
        SOUTHERN,
        "Short delivery on SO-2026-00377",
        "Hi, the pallet arrived today but we only counted 4 cartons of the RJ45 sockets "
        "instead of 5. Can you check and send the missing carton?\n\nMick",
    ),
    (
        "quote_request",
        MAPLE,
        "Price for 20k fuses",
        "Hello,\n\nWe may need about 20,000 of the 5x20 2A slow-blow fuses early next year. What "
        "would your best price be at that volume, and the lead time?\n\nPierre",
    ),
    (
        "feedback",
        HUAXIN,
        "关于上批货",
        "李经理您好，上批USB插座品质很好，客户反馈也不错，辛苦你们了。以后继续合作！",
    ),
    (
        "order",
        JINLONG,
        "新订单 JL-PO-261215",
        "您好，下单如下：\n电机 MT-42S40 200台\n电机 MT-57S56 50台\n要求1月15日前到货，谢谢。",
    ),
    (
        "order_change",
        JINLONG,
        "回复: 订单 JL-PO-261102",
        "您好，JL-PO-261102 里的 MT-57S56 数量从50台减到30台，其他不变，麻烦更新一下。",
    ),
    (
        "status_inquiry",
        "chen.meiling@taida-precision.com.tw",
        "請問出貨進度",
        "您好，我們上週下的訂單 TD-2612-031 目前出貨了嗎？如果已出貨，請提供追蹤號碼，謝謝。",
    ),
    (
        "after_sales",
        "caigou@huaxin-elec.cn",
        "退货申请",
        "您好，上周收到的2000个继电器里有一箱型号发错了，应该是24V的，发成了5V。申请退换，请告知退货地址。",
    ),
    (
        "quote_request",
        "sales@unknown-trading.example",
        "Inquiry: M12 connectors",
        "Dear Sir,\n\nWe are a distributor in Poland. Please send your price list and MOQ for "
        "M12 connectors, 4 and 5 pin.\n\nBest regards,\nTomasz",
    ),
    (
        "other",
        ACME,
        "Holiday closure notice",
        "Dear suppliers,\n\nPlease note our receiving dock is closed from Dec 24 to Jan 2. No "
        "deliveries will be accepted in that period.\n\nAcme Industrial Purchasing",
    ),
    # Round six, second part: the same classes in other words, written after the fixes.
    (
        "order_change",
        SOUTHERN,
        "Re: Order SO-2026-00420",
        "Hi team, please substitute the 5V relays with the 24V version on this order, "
        "quantities as confirmed. Cheers, Mick",
    ),
    (
        "status_inquiry",
        MAPLE,
        "PO 88123",
        "Bonjour, this PO was due on the 10th and we still have nothing on our dock. Can you "
        "tell me where we stand? Merci, Pierre",
    ),
    (
        "after_sales",
        BRIGHTON,
        "PO BL-55120 delivery",
        "Hello, the delivery for PO BL-55120 came in this morning, but one reel of the 2835 LED "
        "chips is missing from the cartons. Please ship it as soon as you can. Sarah",
    ),
    (
        "order_change",
        JINLONG,
        "回复：订单 JL-PO-261130",
        "您好，电机 MT-42S40 由200台调整为150台，其余照旧。谢谢",
    ),
    (
        "after_sales",
        HUAXIN,
        "到货数量不对",
        "你好，昨天收到货了，但是数量不对，少了一箱USB插座，麻烦尽快补上。",
    ),
    (
        "order_change",
        ACME,
        "RE: SO-2026-00501",
        "Hi, please make the fuses on this one the 3A version instead, all else unchanged.\n\nJohn",
    ),
]


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    return fixture_catalog(tmp_path_factory.mktemp("probes"))


@pytest.mark.parametrize(("intent", "sender", "subject", "body"), CASES, ids=lambda v: str(v)[:40])
def test_a_mail_in_new_words_is_read_as_a_clerk_reads_it(
    catalog: Catalog, intent: str, sender: str, subject: str, body: str
) -> None:
    assert parse_mail(mail(sender, subject, body), catalog).intent == intent
