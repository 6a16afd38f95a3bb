"""The QĐ 766 service index (Chỉ số phục vụ người dân, doanh nghiệp) as data: its components with
their maximum scores and names, and the objective of Decision 784 each stands beside in the reports.
Shared by its reader (qms_cli.read.service_index) and its evaluation (qms_cli.evaluate.service_index).
"""

from __future__ import annotations

COMPONENTS: dict[str, float] = {
    "transparency": 18,
    "progress": 20,
    "online": 12,
    "payment": 10,
    "satisfaction": 18,
    "digitisation": 22,
}
NAMES = {
    "transparency": ("Công khai, minh bạch", "Publicity and transparency"),
    "progress": ("Tiến độ giải quyết", "Timeliness of resolution"),
    "online": ("Dịch vụ công trực tuyến", "Online public services"),
    "payment": ("Thanh toán trực tuyến", "Online payment"),
    "satisfaction": ("Mức độ hài lòng", "Satisfaction"),
    "digitisation": ("Số hóa hồ sơ", "Digitisation of dossiers"),
    "total": ("Tổng điểm", "Total"),
}
# Which objective of Decision 784 each component stands beside in the reports.
BESIDE = {1: "progress", 3: "online", 5: "satisfaction"}
