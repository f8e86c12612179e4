using static MisSend.TestSupport.Corpus.Wild.ReviewerCorpus;

namespace MisSend.TestSupport.Corpus.Wild;

/// <summary>
/// The classes a second blind set showed the detector misreading, each as a clean send and a leaky one in an industry and
/// language of its own: the holder of a bank block, one-kanji family names, a name in romaji beside the kanji one, a gift's
/// recipient on the buyer's receipt, an order's items, merge keys in more languages and in romaji, surname keys.
/// </summary>
public static class SecondReviewCorpus
{
    public static IReadOnlyList<LabelledBatch> All { get; } = Build();

    private static List<LabelledBatch> Build()
    {
        var list = new List<LabelledBatch>();
        void Add(string file, string label, string reason, string industry, string lang, string shape, string json) =>
            list.Add(new LabelledBatch($"reviewer2/{label}-{file}.json", label, reason, industry, lang, shape, HeldOut: false, json));

        // ------------------------------------------------------------ the holder under a bank block is the customer (en, energy direct debit)
        {
            var from = A("billing@brightwatt.example.co.uk", "BrightWatt Energy");
            (string Name, string Email, string Sort, string Account)[] payers =
            [
                ("Eleanor Hughes", "eleanor.hughes@btinternet.com", "20-45-77", "****3391"),
                ("Rajesh Patel", "rpatel1978@gmail.com", "40-11-62", "****0874"),
                ("Siobhan Kelly", "siobhan.kelly@outlook.com", "83-06-08", "****5512"),
                ("Tomasz Nowak", "t.nowak@yahoo.co.uk", "30-96-34", "****2209"),
            ];
            var rows = payers.Select(p => new Row([A(p.Email)], D(("first_name", p.Name.Split(' ')[0]), ("last_name", p.Name.Split(' ')[1]),
                ("bank", D(("account_holder", p.Name), ("sort_code", p.Sort), ("account_number", p.Account))), ("collection_date", "1 July")))).ToList();
            Add("en-energy-direct-debit-own-holder", "pass", "each customer's direct-debit confirmation names their own bank account and themselves as its holder",
                "utilities", "en", "dtd,en-keys,no-display", Send(from, "Your Direct Debit is set up", rows));
            var shifted = rows.Select((r, i) => r with { Data = D(("first_name", payers[i].Name.Split(' ')[0]), ("last_name", payers[i].Name.Split(' ')[1]),
                ("bank", ((Dictionary<string, object>)rows[(i + 1) % rows.Count].Data)["bank"]), ("collection_date", "1 July")) }).ToList();
            Add("en-energy-direct-debit-bank-block-shifted", "halt", "the bank block moved down one row: each customer sees the next customer's account holder, sort code and account",
                "utilities", "en", "dtd,en-keys,no-display", Send(from, "Your Direct Debit is set up", shifted));
        }

        // ------------------------------------------------------------ one-kanji family names tell a family (ja, ferry booking)
        {
            var from = A("booking@seto-ferry.example.jp", "瀬戸内フェリー予約センター");
            (string Booker, string Email, string[] Family)[] bookings =
            [
                ("関 直人", "naoto.seki@example.ne.jp", ["関 真由美", "関 陽向"]),
                ("森 千尋", "chihiro-mori@docomo.ne.jp", ["森 大介"]),
                ("原 康平", "kohei_hara@gmail.com", ["原 美帆", "原 蒼", "原 凛"]),
                ("東 恵理", "eri.azuma@ezweb.ne.jp", ["東 拓真"]),
            ];
            Row RowOf(int i, int familyOf) => new([A(bookings[i].Email, bookings[i].Booker)], D(("予約者", D(("氏名", bookings[i].Booker))),
                ("乗船者", bookings[familyOf].Family.Select(f => D(("氏名", f), ("区分", "大人"))).ToArray()), ("予約番号", $"SF-{40211 + i}"),
                ("便", "8月11日 高松港 9:10発")));
            Add("ja-ferry-family-passengers-one-kanji-surnames", "pass", "each booker receives their own family's passenger list; 関, 森, 原 and 東 are whole family names",
                "travel", "ja", "dtd,native-keys,display", Send(from, "【瀬戸内フェリー】ご予約確認", [.. bookings.Select((_, i) => RowOf(i, i))]));
            Add("ja-ferry-passengers-of-another-family", "halt", "the passenger lists moved by one row: each booker sees another family's names",
                "travel", "ja", "dtd,native-keys,display", Send(from, "【瀬戸内フェリー】ご予約確認", [.. bookings.Select((_, i) => RowOf(i, (i + 1) % bookings.Length))]));
        }

        // ------------------------------------------------------------ a romaji name beside the kanji one (ja, travel agency passport names)
        {
            var from = A("tour@hoshizora-travel.example.jp", "ほしぞらトラベル");
            (string Kanji, string Email, string Passport)[] travellers =
            [
                ("坂本 美咲", "misaki.sakamoto@gmail.com", "SAKAMOTO MISAKI"),
                ("内田 航", "wataru-u@ezweb.ne.jp", "UCHIDA WATARU"),
                ("松井 里奈", "rina_pooh31@yahoo.co.jp", "MATSUI RINA"),
                ("平野 隆之", "takayuki.hirano@example.co.jp", "HIRANO TAKAYUKI"),
                ("野口 彩", "aya.noguchi@icloud.com", "NOGUCHI AYA"),
            ];
            Row RowOf(int i, int passportOf) => new([A(travellers[i].Email, travellers[i].Kanji)], D(("氏名", travellers[i].Kanji),
                ("passport", D(("name", travellers[passportOf].Passport), ("expiry", "2031-04"))), ("ツアー", "台北 3日間"), ("出発日", "2026年9月18日")));
            Add("ja-travel-own-passport-name-in-romaji", "pass", "each traveller is shown their own name and their own passport spelling of it",
                "travel", "ja", "dtd,native-keys,display", Send(from, "ご旅行の最終確認", [.. travellers.Select((_, i) => RowOf(i, i))]));
            Add("ja-travel-passport-names-shifted", "halt", "the passport-name column moved by one row: travellers see the next traveller's passport name, which other addresses spell",
                "travel", "ja", "dtd,native-keys,display", Send(from, "ご旅行の最終確認", [.. travellers.Select((_, i) => RowOf(i, (i + 1) % travellers.Length))]));
        }

        // ------------------------------------------------------------ a gift's recipient on the buyer's receipt (ja, flower shop)
        {
            var from = A("order@hanamizuki.example.jp", "花みずき オンラインショップ");
            (string Buyer, string Email, string Giftee, string GifteeEmail, string Address)[] orders =
            [
                ("上田 美和", "miwa.ueda@gmail.com", "上田 敏子", "toshiko.u@example.ne.jp", "〒606-8501 京都府京都市左京区吉田本町1-3"),
                ("岡田 健太", "kenta.okada@example.jp", "三浦 彩花", "ayaka-miura@docomo.ne.jp", "〒３３６－００２２ 埼玉県さいたま市南区白幡4-2-1"),
                ("石原 真央", "mao_ishihara@yahoo.co.jp", "石原 幸雄", "yukio.ishihara@example.co.jp", "〒812-0011 福岡県福岡市博多区博多駅前3-5-7"),
            ];
            var gifts = orders.Select((o, i) => new Row([A(o.Email, o.Buyer)], D(("ご注文日", "5月1日"), ("お届け先", D(("お名前", o.Giftee),
                ("メール", o.GifteeEmail), ("ご住所", o.Address))), ("商品", "季節のアレンジメント M"), ("お届け日", "5月10日")))).ToList();
            Add("ja-flower-gift-recipient-on-buyers-receipt", "pass", "each buyer's receipt names the person they send flowers to, with the address and e-mail the buyer entered",
                "retail", "ja", "dtd,native-keys,display", Send(from, "ご注文ありがとうございます", gifts));
            // Delivery notices go to the people who receive the flowers: a ship-to the batch writes to elsewhere is that recipient.
            var notices = orders.Select((o, i) => new Row([A(o.GifteeEmail, o.Giftee)], D(("お届け先", D(("お名前", orders[(i + 1) % orders.Length].Giftee),
                ("ご住所", orders[(i + 1) % orders.Length].Address))), ("お届け日", "5月10日")))).ToList();
            Add("ja-flower-delivery-notice-shifted", "halt", "each flower recipient is told of the next recipient's delivery, with her name and home address",
                "retail", "ja", "dtd,native-keys,display", Send(from, "お花のお届けのお知らせ", notices));
        }

        // ------------------------------------------------------------ an order's items are catalogue data (en, homeware shop)
        {
            var from = A("orders@linenandoak.example.com", "Linen & Oak");
            (string Name, string Email, string Address)[] buyers =
            [
                ("Hannah Brooks", "hannah.brooks@gmail.com", "14 Elm Grove, Leeds LS6 2AB"),
                ("Marcus Webb", "mwebb@outlook.com", "3 Harbour Row, Bristol BS1 4QA"),
                ("Priya Shah", "priya.shah@yahoo.co.uk", "77 Kingsway, Manchester M19 2LL"),
                ("Owen Lloyd", "owen.lloyd@btinternet.com", "8 Castle Street, Cardiff CF10 1BS"),
            ];
            object[] Items(int i) => [D(("name", "Stone Mug"), ("price", "£12.00")), D(("name", i % 2 == 0 ? "Linen Napkin" : "Oak Board"), ("price", "£18.00"))];
            Row RowOf(int i, int dataOf) => new([A(buyers[i].Email)], D(("customer", D(("name", buyers[dataOf].Name), ("address", buyers[dataOf].Address))),
                ("order", D(("items", Items(dataOf)), ("number", $"LO-{30417 + dataOf}")))));
            Add("en-homeware-orders-share-catalogue-items", "pass", "each buyer gets their own order; the items (Stone Mug, Linen Napkin) are catalogue products many buyers share",
                "retail", "en", "dtd,en-keys,no-display", Send(from, "Your Linen & Oak order", [.. buyers.Select((_, i) => RowOf(i, i))]));
            Add("en-homeware-first-order-to-everyone", "halt", "every buyer is sent the first buyer's order with her name and home address",
                "retail", "en", "dtd,en-keys,no-display", Send(from, "Your Linen & Oak order", [.. buyers.Select((_, i) => RowOf(i, 0))]));
        }

        // ------------------------------------------------------------ merge keys in Spanish and in romanized Japanese
        {
            var from = A("citas@clinicadental-sol.example.es", "Clínica Dental Sol");
            (string Name, string Email, string Dni)[] patients =
            [
                ("Lucía Fernández", "lucia.fdez@gmail.com", "48213376K"),
                ("Javier Moreno", "jmoreno82@hotmail.es", "50917724T"),
                ("Carmen Ruiz", "carmen.ruiz@yahoo.es", "02883145P"),
            ];
            var rows = patients.Select(p => new Row([A(p.Email)], D(("nombre", p.Name), ("dni", p.Dni), ("cita", "12 de junio, 10:30")))).ToList();
            Add("es-dental-own-appointments", "pass", "each patient is reminded of their own appointment with their own DNI", "health", "es", "dtd,native-keys,no-display",
                Send(from, "Recordatorio de su cita", rows));
            // A second patient's reminder to the first patient's address (the address field copied from the row above).
            var fanIn = rows.Append(new Row([A(patients[0].Email)], D(("nombre", "Andrés Navarro"), ("dni", "71345520M"), ("cita", "12 de junio, 11:00")))).ToList();
            Add("es-dental-second-patient-to-one-address", "halt", "one patient's address also receives another patient's reminder with his name and DNI",
                "health", "es", "dtd,native-keys,no-display", Send(from, "Recordatorio de su cita", fanIn));

            var school = A("info@kanade-juku.example.jp", "かなで学習塾");
            (string Name, string Email, string Phone)[] members = [("石田 奈々", "nana.i@example.ne.jp", "090-3318-4420"),
                ("藤本 修", "osamu-f@softbank.ne.jp", "080-5521-9073"), ("杉本 結子", "yuko_sugimoto@gmail.com", "070-2204-6617")];
            Row Romaji(int i, int nameOf) => new([A(members[i].Email)], D(("kaiin_mei", members[nameOf].Name), ("denwa", members[i].Phone), ("kikan", "夏期講習")));
            Add("ja-cram-school-romaji-keys-own", "pass", "each member gets their own registration (keys written in romaji: kaiin_mei, denwa)", "education", "ja",
                "dtd,romaji-keys,no-display", Send(school, "夏期講習お申込みの確認", [.. members.Select((_, i) => Romaji(i, i))]));
            Add("ja-cram-school-romaji-keys-first-to-all", "halt", "every member is sent the first member's name beside their own mobile number (keys in romaji)", "education", "ja",
                "dtd,romaji-keys,no-display", Send(school, "夏期講習お申込みの確認", [.. members.Select((_, i) => Romaji(i, 0))]));
        }

        // ------------------------------------------------------------ a surname key holds a surname, however long (ja, pharmacy points)
        {
            var from = A("point@sakura-drug.example.jp", "さくらドラッグ");
            (string Display, string Email, string Surname, string Full)[] members =
            [
                ("佐々木 健", "ken.sasaki@example.ne.jp", "佐々木", "佐々木 健"),
                ("佐々木 由美", "yumi-s@docomo.ne.jp", "佐々木", "佐々木 由美"),
                ("五十嵐 亮", "ryo.igarashi@gmail.com", "五十嵐", "五十嵐 亮"),
                ("長谷川 舞", "mai.hasegawa@yahoo.co.jp", "長谷川", "長谷川 舞"),
            ];
            Add("ja-pharmacy-points-surname-greeting", "pass", "each member is greeted by their own surname; two members are called 佐々木, which identifies neither",
                "retail", "ja", "dtd,native-keys,display", Send(from, "ポイント残高のお知らせ",
                    [.. members.Select((m, i) => new Row([A(m.Email, m.Display)], D(("姓", m.Surname), ("ポイント", 1200 + (i * 310)))))]));
            Add("ja-pharmacy-points-first-member-to-all", "halt", "every member is greeted with the first member's full name and points",
                "retail", "ja", "dtd,native-keys,display", Send(from, "ポイント残高のお知らせ",
                    [.. members.Select(m => new Row([A(m.Email, m.Display)], D(("氏名", members[0].Full), ("ポイント", 1200))))]));
        }

        // ------------------------------------------------------------ local mobile numbers of the sender's country (es, padel club rota)
        {
            var from = A("secretaria@padelvallecas.example.es", "Club Pádel Vallecas");
            (string Name, string Email, string Mobile)[] players =
            [
                ("Marta Gil", "marta.gil@gmail.com", "612 483 307"), ("Sergio Ortega", "sortega@hotmail.es", "655 201 948"),
                ("Nuria Castro", "nuria.castro@yahoo.es", "634 770 215"), ("Pablo Herrera", "pablo.herrera87@gmail.com", "688 419 536"),
                ("Irene Molina", "irene.molina@outlook.es", "617 952 084"),
            ];
            string Body(bool rota) => "Hola {{nombre}},\n\nel torneo social es el sábado 14 de junio a las 10:00. Recepción del club: 91 555 01 42.\n"
                + (rota ? "\nTurnos de la barra:\n" + string.Join("\n", players.Select(x => $"{x.Name} - {x.Mobile}")) + "\n" : "") + "\nUn saludo, la secretaría";
            List<Row> Rows() => [.. players.Select(x => new Row([A(x.Email)], D(("nombre", x.Name.Split(' ')[0]))))];
            Add("es-padel-tournament-notice", "pass", "each player gets the tournament notice; the only number is the club's landline", "community", "es", "dtd,native-keys,no-display",
                Send(from, "Torneo social del sábado", Rows(), content: Body(rota: false)));
            Add("es-padel-rota-with-mobiles", "halt", "the bar rota pasted into the notice lists every player's name and mobile number (written the Spanish way, without +34), and every player receives it",
                "community", "es", "dtd,native-keys,no-display", Send(from, "Torneo social del sábado", Rows(), content: Body(rota: true)));
        }

        return list;
    }
}
