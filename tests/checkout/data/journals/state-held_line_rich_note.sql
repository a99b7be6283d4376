BEGIN TRANSACTION;
CREATE TABLE cart (
    sale_id INTEGER NOT NULL REFERENCES sale(id),
    sku TEXT NOT NULL,
    quantity INTEGER NOT NULL CHECK (quantity >= 0),
    position INTEGER NOT NULL,
    PRIMARY KEY (sale_id, sku)
);
INSERT INTO "cart" VALUES(1,'bag-paper',1,0);
INSERT INTO "cart" VALUES(1,'8752601815904',1,1);
INSERT INTO "cart" VALUES(1,'8760913909969',1,2);
CREATE TABLE probe (at REAL);
INSERT INTO "probe" VALUES(1.79617623499523758889e+09);
CREATE TABLE sale (
    id INTEGER PRIMARY KEY,
    started_at REAL NOT NULL,
    order_id TEXT,
    order_number TEXT,
    status TEXT NOT NULL DEFAULT 'active',
    note TEXT NOT NULL DEFAULT '{}',
    finished_at REAL
);
INSERT INTO "sale" VALUES(1,1.79617623476981687542e+09,'9d013b39-fea4-44bc-95e9-3fea7d43a797','1000001','active','{"sku_map": {"bag-paper": "BAG-PAPER"}, "held": ["8760913909969"], "confirmed_failed": [{"payment_id": "pay_878d6cd3c50a4a79", "at": 1796176234.9942176, "after_step": 5}], "change": 587}',NULL);
CREATE TABLE step (
    id INTEGER PRIMARY KEY,
    sale_id INTEGER NOT NULL REFERENCES sale(id),
    kind TEXT NOT NULL,
    intent TEXT NOT NULL,
    result TEXT,
    state TEXT NOT NULL DEFAULT 'sent' CHECK (state IN ('sent', 'done', 'failed')),
    sent_at REAL NOT NULL,
    ended_at REAL
);
INSERT INTO "step" VALUES(1,1,'create_order','{"channel_id": "pos-demo"}','{"order_id": "9d013b39-fea4-44bc-95e9-3fea7d43a797"}','done',1.79617623477234315872e+09,1.79617623478361773487e+09);
INSERT INTO "step" VALUES(2,1,'add_items','{"order_id": "9d013b39-fea4-44bc-95e9-3fea7d43a797", "items": {"bag-paper": 1, "8752601815904": 1, "8760913909969": 1}, "before": {}}','{"units": 3}','done',1.79617623478531169894e+09,1.79617623479691600803e+09);
INSERT INTO "step" VALUES(3,1,'attach_method','{"route": ["pm_pin", "term_front"]}','{}','done',1.79617623481551790236e+09,1.79617623483033490177e+09);
INSERT INTO "step" VALUES(4,1,'create_payment','{"amount": 413, "known": []}','{"payment_id": "pay_878d6cd3c50a4a79"}','done',1.79617623483135533334e+09,1.79617623483455038065e+09);
INSERT INTO "step" VALUES(5,1,'start_terminal','{"payment_id": "pay_878d6cd3c50a4a79"}','{"payment_id": "pay_878d6cd3c50a4a79", "status": "PENDING", "paid": false, "read_back": true}','done',1.79617623483510684967e+09,1.79617623489162206648e+09);
INSERT INTO "step" VALUES(6,1,'attach_method','{"route": ["pm_cash", "drawer_main"]}','{}','done',1.79617623499610090252e+09,1.79617623500487160687e+09);
INSERT INTO "step" VALUES(7,1,'create_payment','{"amount": 413, "known": ["pay_878d6cd3c50a4a79"]}','{"payment_id": "pay_58d4e82b704244fa"}','done',1.79617623500584673882e+09,1.79617623500911355021e+09);
INSERT INTO "step" VALUES(8,1,'pay_cash','{"payment_id": "pay_58d4e82b704244fa", "amount": 413, "tendered": 1000}','{"payment_id": "pay_58d4e82b704244fa", "status": "PAID", "paid": true}','done',1.79617623500975847239e+09,1.79617623501251149177e+09);
INSERT INTO "step" VALUES(9,1,'open_order','{"order_id": "9d013b39-fea4-44bc-95e9-3fea7d43a797"}',NULL,'sent',1.79617623503630566596e+09,NULL);
CREATE INDEX step_by_sale ON step (sale_id, kind);
COMMIT;
