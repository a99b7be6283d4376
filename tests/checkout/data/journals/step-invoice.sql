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
INSERT INTO "probe" VALUES(1.79617611772917962079e+09);
CREATE TABLE sale (
    id INTEGER PRIMARY KEY,
    started_at REAL NOT NULL,
    order_id TEXT,
    order_number TEXT,
    status TEXT NOT NULL DEFAULT 'active',
    note TEXT NOT NULL DEFAULT '{}',
    finished_at REAL
);
INSERT INTO "sale" VALUES(1,1.79617611769660806648e+09,'e7b3bd53-d269-41db-b305-0ef26d1a626a','1000001','active','{}',NULL);
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
INSERT INTO "step" VALUES(1,1,'create_order','{"channel_id": "pos-demo"}','{"order_id": "e7b3bd53-d269-41db-b305-0ef26d1a626a"}','done',1.7961761176985497475e+09,1.79617611770681810372e+09);
INSERT INTO "step" VALUES(2,1,'add_items','{"order_id": "e7b3bd53-d269-41db-b305-0ef26d1a626a", "items": {"8752601815904": 1, "8760913909969": 2, "8703082462811": 1}, "before": {}}','{"units": 4}','done',1.79617611770733642579e+09,1.79617611771516776089e+09);
INSERT INTO "step" VALUES(3,1,'remove_items','{"order_id": "e7b3bd53-d269-41db-b305-0ef26d1a626a", "ids": ["itm_5884eff98a39448f"]}','{"units": 3}','done',1.79617611772088503832e+09,1.79617611772841095927e+09);
INSERT INTO "step" VALUES(4,1,'attach_method','{"route": ["pm_pin", "term_front"]}','{}','done',1.79617611772975397117e+09,1.79617611773434019089e+09);
INSERT INTO "step" VALUES(5,1,'create_payment','{"amount": 657, "known": []}','{"payment_id": "pay_977350566c8243fd"}','done',1.79617611773486256601e+09,1.79617611773677039147e+09);
INSERT INTO "step" VALUES(6,1,'start_terminal','{"payment_id": "pay_977350566c8243fd"}','{"payment_id": "pay_977350566c8243fd", "status": "PAID", "paid": true}','done',1.79617611773724961286e+09,1.79617611779029321674e+09);
INSERT INTO "step" VALUES(7,1,'open_order','{"order_id": "e7b3bd53-d269-41db-b305-0ef26d1a626a"}','{"status": "OPEN"}','done',1.7961761177911012172e+09,1.79617611779651236529e+09);
INSERT INTO "step" VALUES(8,1,'invoice','{"ids": ["itm_a41925f5e9664934", "itm_de802180aacc4055", "itm_db3cdaeb8a4840f2"], "invoice_id": null, "known": []}',NULL,'sent',1.79617611785130977626e+09,NULL);
CREATE INDEX step_by_sale ON step (sale_id, kind);
COMMIT;
