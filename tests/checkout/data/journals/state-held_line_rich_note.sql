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
INSERT INTO "probe" VALUES(1.79617611911187982556e+09);
CREATE TABLE sale (
    id INTEGER PRIMARY KEY,
    started_at REAL NOT NULL,
    order_id TEXT,
    order_number TEXT,
    status TEXT NOT NULL DEFAULT 'active',
    note TEXT NOT NULL DEFAULT '{}',
    finished_at REAL
);
INSERT INTO "sale" VALUES(1,1.79617611894765925404e+09,'5e5303b3-418d-4e7b-ae33-69532906b5a8','1000001','active','{"sku_map": {"bag-paper": "BAG-PAPER"}, "held": ["8760913909969"], "confirmed_failed": [{"payment_id": "pay_2c99a15813df4722", "at": 1796176119.1110682, "after_step": 5}], "change": 587}',NULL);
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
INSERT INTO "step" VALUES(1,1,'create_order','{"channel_id": "pos-demo"}','{"order_id": "5e5303b3-418d-4e7b-ae33-69532906b5a8"}','done',1.79617611894948673244e+09,1.7961761189570217132e+09);
INSERT INTO "step" VALUES(2,1,'add_items','{"order_id": "5e5303b3-418d-4e7b-ae33-69532906b5a8", "items": {"bag-paper": 1, "8752601815904": 1, "8760913909969": 1}, "before": {}}','{"units": 3}','done',1.79617611895759940153e+09,1.79617611896631622315e+09);
INSERT INTO "step" VALUES(3,1,'attach_method','{"route": ["pm_pin", "term_front"]}','{}','done',1.79617611897658324237e+09,1.79617611903657221797e+09);
INSERT INTO "step" VALUES(4,1,'create_payment','{"amount": 413, "known": []}','{"payment_id": "pay_2c99a15813df4722"}','done',1.79617611903752923008e+09,1.79617611904041719439e+09);
INSERT INTO "step" VALUES(5,1,'start_terminal','{"payment_id": "pay_2c99a15813df4722"}','{"payment_id": "pay_2c99a15813df4722", "status": "PENDING", "paid": false, "read_back": true}','done',1.79617611904113268859e+09,1.79617611909591889376e+09);
INSERT INTO "step" VALUES(6,1,'attach_method','{"route": ["pm_cash", "drawer_main"]}','{}','done',1.79617611911248493189e+09,1.79617611911959576607e+09);
INSERT INTO "step" VALUES(7,1,'create_payment','{"amount": 413, "known": ["pay_2c99a15813df4722"]}','{"payment_id": "pay_e3a1c1ea4ad940b6"}','done',1.79617611912031579016e+09,1.79617611912268233297e+09);
INSERT INTO "step" VALUES(8,1,'pay_cash','{"payment_id": "pay_e3a1c1ea4ad940b6", "amount": 413, "tendered": 1000}','{"payment_id": "pay_e3a1c1ea4ad940b6", "status": "PAID", "paid": true}','done',1.7961761191231517792e+09,1.79617611912526035306e+09);
INSERT INTO "step" VALUES(9,1,'open_order','{"order_id": "5e5303b3-418d-4e7b-ae33-69532906b5a8"}',NULL,'sent',1.79617611914197731017e+09,NULL);
CREATE INDEX step_by_sale ON step (sale_id, kind);
COMMIT;
