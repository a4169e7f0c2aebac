"""Documents the platform prints: the 收件凭证 (receipt) now; notices and results later."""

from yijian.documents.fonts import INSTALL_HINT, MissingFontError
from yijian.documents.receipt import Applicant, Deadline, render_receipt

__all__ = ["INSTALL_HINT", "Applicant", "Deadline", "MissingFontError", "render_receipt"]
