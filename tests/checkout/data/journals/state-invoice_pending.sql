BEGIN TRANSACTION;
CREATE TABLE cart (
    sale_id INTEGER NOT NULL REFERENCES sale(id),
    sku TEXT NOT NULL,
    quantity INTEGER NOT NULL CHECK (quantity >= 0),
    position INTEGER NOT NULL,
    PRIMARY KEY (sale_id, sku)
);
INSERT INTO "cart" VALUES(1,'8752601815904',1,0);
INSERT INTO "cart" VALUES(1,'8760913909969',2,1);
INSERT INTO "cart" VALUES(1,'8703082462811',0,2);
CREATE TABLE probe (at REAL);
INSERT INTO "probe" VALUES(1.79617611816082119939e+09);
CREATE TABLE sale (
    id INTEGER PRIMARY KEY,
    started_at REAL NOT NULL,
    order_id TEXT,
    order_number TEXT,
    status TEXT NOT NULL DEFAULT 'active',
    note TEXT NOT NULL DEFAULT '{}',
    finished_at REAL
);
INSERT INTO "sale" VALUES(1,1.79617611812424516682e+09,'15b342c7-15c7-4336-b26f-39ae006831ed','1000001','invoice_pending','{}',NULL);
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
INSERT INTO "step" VALUES(1,1,'create_order','{"channel_id": "pos-demo"}','{"order_id": "15b342c7-15c7-4336-b26f-39ae006831ed"}','done',1.79617611812607717511e+09,1.79617611813298559187e+09);
INSERT INTO "step" VALUES(2,1,'add_items','{"order_id": "15b342c7-15c7-4336-b26f-39ae006831ed", "items": {"8752601815904": 1, "8760913909969": 2, "8703082462811": 1}, "before": {}}','{"units": 4}','done',1.79617611813352274887e+09,1.79617611814258146285e+09);
INSERT INTO "step" VALUES(3,1,'remove_items','{"order_id": "15b342c7-15c7-4336-b26f-39ae006831ed", "ids": ["itm_15d7f57c319d4d17"]}','{"units": 3}','done',1.79617611815134310725e+09,1.79617611815985107424e+09);
INSERT INTO "step" VALUES(4,1,'attach_method','{"route": ["pm_pin", "term_front"]}','{}','done',1.79617611816141200067e+09,1.79617611816957712172e+09);
INSERT INTO "step" VALUES(5,1,'create_payment','{"amount": 657, "known": []}','{"payment_id": "pay_deb4173d36a1426c"}','done',1.79617611817058944701e+09,1.79617611817423033712e+09);
INSERT INTO "step" VALUES(6,1,'start_terminal','{"payment_id": "pay_deb4173d36a1426c"}','{"payment_id": "pay_deb4173d36a1426c", "status": "PAID", "paid": true}','done',1.79617611817482638355e+09,1.79617611822812700268e+09);
INSERT INTO "step" VALUES(7,1,'open_order','{"order_id": "15b342c7-15c7-4336-b26f-39ae006831ed"}','{"status": "OPEN"}','done',1.79617611822912359234e+09,1796176118.23504);
CREATE INDEX step_by_sale ON step (sale_id, kind);
COMMIT;
