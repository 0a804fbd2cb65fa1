"""Past newsletters, from any mailer, into structured content."""
