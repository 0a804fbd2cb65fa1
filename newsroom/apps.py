from django.apps import AppConfig
from django.db.backends.signals import connection_created


class NewsroomConfig(AppConfig):
    name = "newsroom"
    verbose_name = "Newsroom"

    def ready(self):
        from newsroom.pages import search

        connection_created.connect(search.add_searched_text_function)
