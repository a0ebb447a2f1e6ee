from django.apps import AppConfig


class DatagenConfig(AppConfig):
    name = "cas.datagen"
    label = "datagen"
    verbose_name = "National-scale data generator"

    def ready(self):
        # CAS2's history runs after CAS3's, from a seed of its own (cas/datagen/cas2.py).
        from cas.datagen import cas2, generator

        if cas2.cas2_history not in generator.EXTRA_STEPS:
            generator.EXTRA_STEPS.append(cas2.cas2_history)
