"""
The export of an issue for a mailer: the content snapshot (``snapshot``), the e-mail
HTML (``html``), the plain text (``text``), the images resized for e-mail
(``images``), the size budget (``budget``) and the ZIP that carries them
(``package``). ``issues.editorial.sending.export_issue`` puts them together.
"""
